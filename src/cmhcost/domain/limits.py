"""Every tolerance, bound and timeout of cmhcost, named once (standard library only)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

USD_TOLERANCE_PCT = Decimal(2)  # audit: a printed USD equivalent further off than this is listed
CLAIM_TOLERANCE = Decimal("0.05")  # compare: a stated relation this far from the figures is noted
RATE_LOOK_BACK = timedelta(days=45)  # the latest stored rate on or before a date, if this recent
RATE_JUMP_WARNING = Decimal("0.10")  # rates update: warn when a rate moves more than this
REFRESH_TIMEOUT_SECONDS = 10.0  # rates update: how long to wait for the rate service
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100  # years of prices, context numbers, conversions and rates

# The numbers cmhcost reads: every one is held exactly, and a product of two fits in the 28
# significant digits of Decimal's default context, far beyond the cents and ratios printed.
MAX_DIGITS = 14  # significant digits
LARGEST = Decimal("1e15")  # magnitude, exclusive: a thousand million million
SMALLEST = Decimal("1e-6")  # magnitude of a number other than zero

SHORT_TEXT = 300  # characters of a name, label, place, section or document name
LONG_TEXT = 2000  # characters of a quote, the words of a relation, a flag or a rate's source

MAX_HORIZON_YEARS = 100  # a pilot's discounted view: one line of arithmetic per year
MAX_PROBLEMS_SHOWN = 50  # problems printed one a line; the rest are counted
MAX_PROBLEMS_READ = 10_000  # a services file's records are not checked past this many problems
