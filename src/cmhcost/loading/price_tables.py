"""The World Bank CPI and PPP tables shipped inside the package, read into `prices.Tables`.

A table fetched with `cmhcost prices update` into the user's data directory lies over the shipped
one: its values replace the shipped values of the same country and year, the others remain.
"""

from __future__ import annotations

from dataclasses import replace

from cmhcost.conversion.prices import Indicator, Tables, parse_indicator
from cmhcost.loading.paths import remember, shipped, user_data_dir


def shipped_tables() -> Tables:
    """The World Bank CPI and PPP tables that come with cmhcost, under the user's own."""
    return Tables(cpi=_layered("cpi.csv"), ppp=_layered("ppp.csv"))


def _layered(name: str) -> Indicator:
    path = remember(shipped(name))
    below = parse_indicator(path.read_text(encoding="utf-8"), str(path))
    own = user_data_dir() / name
    if not own.exists():
        return below
    above = parse_indicator(remember(own).read_text(encoding="utf-8"), str(own))
    values = {country: dict(years) for country, years in below.values.items()}
    for country, years in above.values.items():
        values.setdefault(country, {}).update(years)
    source = f"{above.source}, over {below.source} ({below.vintage})"
    return replace(below, source=source, vintage=above.vintage, values=values)
