"""The vocabulary every layer shares: exact money and ranges, ISO codes, the user's choices,
errors and exit statuses, every limit, and how a number is written as text.

Standard library only (and pycountry for the codes): nothing here reads a file or knows a format.
"""
