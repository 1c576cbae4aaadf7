"""The shape of cmhcost's files: pydantic models of the services, rates and pilot files, the
data as loaded (`Dataset`), and the JSON Schemas generated from the models.

Models check one file's values; reading the YAML and locating a line is `loading`'s job.
"""
