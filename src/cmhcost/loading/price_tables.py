"""The World Bank CPI and PPP tables shipped inside the package, read into `prices.Tables`."""

from __future__ import annotations

from cmhcost.conversion.prices import Indicator, Tables, parse_indicator
from cmhcost.loading.paths import remember, shipped


def shipped_tables() -> Tables:
    """The World Bank CPI and PPP tables that come with cmhcost."""
    return Tables(cpi=_shipped("cpi.csv"), ppp=_shipped("ppp.csv"))


def _shipped(name: str) -> Indicator:
    path = remember(shipped(name))
    return parse_indicator(path.read_text(encoding="utf-8"), str(path))
