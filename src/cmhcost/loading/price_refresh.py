"""Refreshing a price table (CPI, PPP or a GDP deflator) from the World Bank's API.

Reaches the network only when `cmhcost prices update` runs it. The reply is checked whole (its
shape, every country code, year and value) before anything is written; the table is written in
the shipped tables' format into the user's data directory, where it lies over the shipped one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cmhcost.domain.errors import RefreshError

API = "https://api.worldbank.org/v2/country/all/indicator/{code}"
PAGE = 20000  # every country and year of an indicator in one page (about 17 000 values)


@dataclass(frozen=True)
class PriceIndicator:
    """An indicator `prices update` can fetch, and the file it is kept in."""

    name: str
    code: str
    file: str
    title: str


INDICATORS = {
    i.name: i
    for i in (
        PriceIndicator("cpi", "FP.CPI.TOTL.ZG", "cpi.csv", "Inflation, consumer prices (annual %)"),
        PriceIndicator(
            "ppp",
            "PA.NUS.PPP",
            "ppp.csv",
            "PPP conversion factor, GDP (LCU per international $)",
        ),
        PriceIndicator(
            "deflator", "NY.GDP.DEFL.KD.ZG", "deflator.csv", "Inflation, GDP deflator (annual %)"
        ),
    )
}


def fetch_table(indicator: PriceIndicator, timeout: float, today: date) -> str:
    """The indicator's table as CSV text in the shipped format; RefreshError on any failure."""
    import requests

    url = API.format(code=indicator.code)
    try:
        reply = requests.get(url, params={"format": "json", "per_page": str(PAGE)}, timeout=timeout)
    except requests.Timeout:
        raise RefreshError(f"the World Bank API did not answer within {timeout:g} s") from None
    except requests.RequestException as exc:
        raise RefreshError(f"the World Bank API could not be reached ({exc})") from None
    if reply.status_code != 200:
        raise RefreshError(f"the World Bank API answered {reply.status_code} for {url}")
    try:
        # Values kept as the exact text of the reply, as the shipped tables keep the source's.
        body = json.loads(reply.text, parse_float=str, parse_int=str)
    except ValueError:
        raise RefreshError("the World Bank API's reply is not JSON") from None
    return table_text(indicator, body, today)


def table_text(indicator: PriceIndicator, body: Any, today: date) -> str:
    """Check a reply of the World Bank API and write it as a table; RefreshError when it is wrong."""
    if not (isinstance(body, list) and len(body) == 2 and isinstance(body[1], list)):
        message = (
            body[0].get("message")
            if isinstance(body, list) and body and isinstance(body[0], dict)
            else None
        )
        raise RefreshError(
            f"the World Bank API's reply is not a table of values ({message or 'unexpected shape'})"
        )
    meta = body[0] if isinstance(body[0], dict) else {}
    if str(meta.get("pages", "1")) not in ("1", "0"):
        raise RefreshError("the World Bank API's reply spans several pages; nothing was written")
    rows = sorted(_rows(indicator, body[1]))
    if not rows:
        raise RefreshError(f"the World Bank API returned no values of {indicator.code}")
    vintage = str(meta.get("lastupdated") or today.isoformat())
    head = [
        f"# {indicator.title}",
        f"# indicator: {indicator.code}",
        f"# source: World Bank API (api.worldbank.org), fetched {today.isoformat()} "
        "with cmhcost prices update",
        f"# vintage: {vintage}",
        "country,year,value",
    ]
    return "\n".join([*head, *(f"{c},{y},{v}" for c, y, v in rows)]) + "\n"


def _rows(indicator: PriceIndicator, records: list[Any]) -> list[tuple[str, int, str]]:
    from cmhcost.loading.world_bank_csv import alpha2

    rows = []
    for record in records:
        if not isinstance(record, dict) or record.get("value") is None:
            continue
        code = alpha2().get(str(record.get("countryiso3code", "")))
        if code is None:
            continue  # a region or an income group
        year, value = str(record.get("date", "")), str(record["value"])
        if not year.isdigit():
            raise RefreshError(f"the World Bank API gave {year!r} as a year of {indicator.code}")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise RefreshError(f"the World Bank API gave {value!r} for {code} {year}") from None
        if not number.is_finite():
            raise RefreshError(f"the World Bank API gave {value!r} for {code} {year}")
        rows.append((code, int(year), value))
    return rows
