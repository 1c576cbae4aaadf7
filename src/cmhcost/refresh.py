"""Refreshing stored rates from the ECB-based service behind forex-python, merged into a rates file.

This is the only module that reaches the network, and only when `cmhcost rates update` runs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from cmhcost.errors import RefreshError
from cmhcost.limits import RATE_JUMP_WARNING as WARN_CHANGE
from cmhcost.limits import REFRESH_TIMEOUT_SECONDS as TIMEOUT_SECONDS
from cmhcost.models import RateSet, RatesFile

SOURCE = "European Central Bank reference rates via forex-python ({url})"
METHOD = "rates the service publishes for {day}, fetched with cmhcost rates update"


class RateSource(Protocol):
    """Something that returns rates per one unit of `base` for a day (the latest when None)."""

    def fetch(self, base: str, day: date | None) -> RateSet: ...


class ForexPythonSource:
    """forex-python's CurrencyRates, with a timeout and every failure turned into RefreshError."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def fetch(self, base: str, day: date | None) -> RateSet:
        """Fetch one day's rates; raise RefreshError with one clear message on any failure."""
        import requests
        from forex_python.converter import CurrencyRates  # type: ignore[import-untyped]

        client = CurrencyRates(force_decimal=True)
        url = client._source_url() + client._get_date_string(day)
        try:
            response = requests.get(
                url, params={"base": base, "rtype": "fpy"}, timeout=self.timeout
            )
        except requests.Timeout:
            raise RefreshError(
                f"the rate service did not answer within {self.timeout:g} s ({url})"
            ) from None
        except requests.RequestException as exc:
            raise RefreshError(
                f"could not reach the rate service ({url}): {type(exc).__name__}"
            ) from None
        if response.status_code != 200:
            raise RefreshError(f"the rate service answered HTTP {response.status_code} ({url})")
        try:
            body = _json(response.text)
            rates = _decimal_rates(body["rates"])
            published = date.fromisoformat(body.get("date") or (day or date.today()).isoformat())
        except (ValueError, KeyError, TypeError, InvalidOperation):
            raise RefreshError(
                f"the rate service sent a reply that is not rates JSON ({url})"
            ) from None
        return RateSet(
            date=published,
            base=base,
            source=SOURCE.format(url=client._source_url()),
            method=METHOD.format(day=published),
            rates=rates,
        )


def _json(text: str) -> Any:
    import simplejson  # type: ignore[import-untyped]

    return simplejson.loads(text, use_decimal=True)


def _decimal_rates(raw: Any) -> dict[str, Decimal]:
    if not isinstance(raw, dict) or not raw:
        raise ValueError("no rates")
    rates = {str(code): Decimal(str(value)) for code, value in raw.items()}
    if any(not r.is_finite() or r <= 0 for r in rates.values()):
        raise ValueError("a rate is not a positive number")
    return rates


@dataclass(frozen=True)
class Merge:
    """The rates file after a refresh, with warnings about rates that moved a lot."""

    rates: RatesFile
    added: RateSet
    warnings: tuple[str, ...]


def merge(stored: RatesFile, fetched: RateSet, currencies: Iterable[str] = ()) -> Merge:
    """Keep the asked currencies of `fetched` and put them in `stored`, replacing that day's set."""
    wanted = set(currencies)
    missing = sorted(wanted - set(fetched.rates) - {fetched.base})
    if missing:
        raise RefreshError(
            f"the rate service has no rate for {', '.join(missing)} on {fetched.date}"
        )
    if wanted:
        kept = {code: rate for code, rate in fetched.rates.items() if code in wanted}
        fetched = fetched.model_copy(update={"rates": kept})
    warnings = tuple(_big_moves(stored, fetched))
    others = [s for s in stored.sets if not (s.date == fetched.date and s.source == fetched.source)]
    previous = next(
        (s for s in stored.sets if s.date == fetched.date and s.source == fetched.source), None
    )
    if previous is not None:
        fetched = fetched.model_copy(update={"rates": {**previous.rates, **fetched.rates}})
    sets = sorted([*others, fetched], key=lambda s: (s.date, s.base, s.source))
    return Merge(RatesFile(sets=tuple(sets)), fetched, warnings)


def _big_moves(stored: RatesFile, fetched: RateSet) -> Iterable[str]:
    for rate_set in stored.sets:
        if rate_set.date != fetched.date or rate_set.base != fetched.base:
            continue
        for code, rate in fetched.rates.items():
            old = rate_set.rates.get(code)
            if old is not None and abs(rate - old) / old > WARN_CHANGE:
                yield (
                    f"{code} on {fetched.date}: fetched {rate} per {fetched.base}, "
                    f"stored {old} ({rate_set.source}); more than 10% apart"
                )


def dump_rates(rates: RatesFile, header: str) -> str:
    """Rates as YAML text: sets by date, currencies sorted, rates as exact decimal strings."""
    import json

    lines = [header.rstrip("\n"), "version: 1", "sets:"] if header else ["version: 1", "sets:"]
    for rate_set in rates.sets:
        lines += [
            f"  - date: {rate_set.date.isoformat()}",
            f"    base: {rate_set.base}",
            f"    source: {json.dumps(rate_set.source, ensure_ascii=False)}",
            f"    method: {json.dumps(rate_set.method, ensure_ascii=False)}",
            "    rates:",
        ]
        lines += [f'      {code}: "{rate}"' for code, rate in sorted(rate_set.rates.items())]
    return "\n".join(lines) + "\n"


def leading_comments(text: str) -> str:
    """The comment lines at the top of a file, kept when the file is rewritten."""
    kept = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        kept.append(line)
    return "\n".join(kept)
