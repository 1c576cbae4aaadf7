"""Refreshing stored rates from the ECB-based service behind forex-python, merged into a rates file.

This is the only module that reaches the network, and only when `cmhcost rates update` runs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from cmhcost.domain.errors import RefreshError
from cmhcost.domain.limits import RATE_JUMP_WARNING as WARN_CHANGE
from cmhcost.domain.limits import REFRESH_TIMEOUT_SECONDS as TIMEOUT_SECONDS
from cmhcost.loading.rates_file import dump_rates as dump_rates
from cmhcost.schema.rates import RateSet, RatesFile

SOURCE = "European Central Bank reference rates via forex-python {version}"
METHOD = "the rates the service publishes for {day}, fetched with cmhcost rates update"
METHOD_LATEST = "the service's latest rates, fetched on {day} with cmhcost rates update"

T = TypeVar("T")


class RateSource(Protocol):
    """Something that returns rates per one unit of `base` for a day (the latest when None)."""

    def fetch(self, base: str, day: date | None) -> RateSet: ...


class ForexPythonSource:
    """forex-python's CurrencyRates, with a deadline and every failure turned into RefreshError."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def fetch(self, base: str, day: date | None) -> RateSet:
        """Fetch one day's rates; raise RefreshError with one clear message on any failure."""
        from importlib.metadata import version

        import requests
        from forex_python.converter import (  # type: ignore[import-untyped]
            CurrencyRates,
            RatesNotAvailableError,
        )

        client = CurrencyRates(force_decimal=True)
        asked = day.isoformat() if day else "the latest day"
        try:
            raw = within(self.timeout, lambda: client.get_rates(base, day))
        except (TimeoutError, requests.Timeout):
            raise RefreshError(
                f"the rate service did not answer within {self.timeout:g} s"
            ) from None
        except RatesNotAvailableError:
            raise RefreshError(f"the rate service answered with an error for {asked}") from None
        except requests.RequestException as exc:
            raise RefreshError(f"could not reach the rate service: {type(exc).__name__}") from None
        except (ValueError, AttributeError, TypeError):
            raise RefreshError(
                f"the rate service sent a reply that is not rates JSON for {asked}"
            ) from None
        published = day or date.today()
        method = (METHOD if day else METHOD_LATEST).format(day=published)
        return RateSet(
            date=published,
            base=base,
            source=SOURCE.format(version=version("forex-python")),
            method=method,
            rates=decimal_rates(raw, asked),
        )


def within(seconds: float, call: Callable[[], T]) -> T:
    """Run `call` in a daemon thread and give up after `seconds` (a hung socket never blocks exit)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="cmhcost-rates-update", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(seconds)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def decimal_rates(raw: Any, asked: str) -> dict[str, Decimal]:
    """The reply's rates as Decimals; RefreshError when it is not a map of codes to positive numbers."""
    shape = f"the rate service sent a reply of an unexpected shape for {asked}"
    if not isinstance(raw, dict) or not raw:
        raise RefreshError(f"{shape}: no rates")
    rates = {}
    for code, value in raw.items():
        try:
            if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
                raise InvalidOperation
            rate = Decimal(str(value))
        except InvalidOperation:
            raise RefreshError(f"{shape}: {code!r}: {value!r} is not a number") from None
        if not isinstance(code, str) or len(code) != 3 or not code.isupper():
            raise RefreshError(f"{shape}: {code!r} is not a currency code")
        if not rate.is_finite() or rate <= 0:
            raise RefreshError(f"{shape}: {code}: {value} is not a positive number")
        rates[code] = rate
    return rates


@dataclass(frozen=True)
class Merge:
    """The rates file after a refresh, with warnings about rates that moved a lot."""

    rates: RatesFile
    added: RateSet
    warnings: tuple[str, ...]


def merge(
    stored: RatesFile,
    fetched: RateSet,
    currencies: Iterable[str] = (),
    below: Iterable[RateSet] = (),
) -> Merge:
    """Keep the asked currencies of `fetched` and put them in `stored`, replacing that day's set.

    Warns about rates more than 10% from the nearest earlier stored rate, in `stored` or in the
    layers `below` it (the shipped rates).
    """
    wanted = set(currencies)
    missing = sorted(wanted - set(fetched.rates) - {fetched.base})
    if missing:
        raise RefreshError(
            f"the rate service has no rate for {', '.join(missing)} on {fetched.date}"
        )
    if wanted:
        kept = {code: rate for code, rate in fetched.rates.items() if code in wanted}
        fetched = fetched.model_copy(update={"rates": kept})
    warnings = [*_big_moves([*below, *stored.sets], fetched)]
    others = []
    for s in stored.sets:
        if s.date == fetched.date and s.source == fetched.source:
            continue
        replaced = sorted(s.rates.keys() & fetched.rates.keys()) if s.date == fetched.date else []
        if replaced:  # a file gives one rate a currency a day: the new one replaces the old
            warnings.append(f"{', '.join(replaced)} on {s.date}: replaces the rate from {s.source}")
            s = s.model_copy(
                update={"rates": {c: r for c, r in s.rates.items() if c not in replaced}}
            )
        if s.rates:
            others.append(s)
    previous = next(
        (s for s in stored.sets if s.date == fetched.date and s.source == fetched.source), None
    )
    if previous is not None:
        fetched = fetched.model_copy(update={"rates": {**previous.rates, **fetched.rates}})
    sets = sorted([*others, fetched], key=lambda s: (s.date, s.base, s.source))
    return Merge(RatesFile(sets=tuple(sets)), fetched, tuple(warnings))


def _big_moves(known: Iterable[RateSet], fetched: RateSet) -> Iterable[str]:
    """Rates more than 10% from the same currency's nearest earlier (or same-day) stored rate."""
    nearest: dict[str, RateSet] = {}
    for rate_set in known:
        if rate_set.base != fetched.base or rate_set.date > fetched.date:
            continue
        for code in rate_set.rates.keys() & fetched.rates.keys():
            if code not in nearest or rate_set.date >= nearest[code].date:
                nearest[code] = rate_set
    for code, rate in sorted(fetched.rates.items()):
        earlier = nearest.get(code)
        old = earlier.rates[code] if earlier else None
        if earlier is not None and old is not None and abs(rate - old) / old > WARN_CHANGE:
            yield (
                f"{code} on {fetched.date}: fetched {rate} per {fetched.base}, stored {old} "
                f"on {earlier.date} ({earlier.source}); more than 10% apart"
            )


def leading_comments(text: str) -> str:
    """The comment lines at the top of a file, kept when the file is rewritten."""
    kept = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        kept.append(line)
    return "\n".join(kept)
