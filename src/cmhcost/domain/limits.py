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
