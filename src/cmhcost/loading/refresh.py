"""Refreshing stored rates from the ECB-based service behind forex-python, merged into a rates file.

This is the only module that reaches the network, and only when `cmhcost rates update` runs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from cmhcost.domain.errors import RefreshError
from cmhcost.domain.limits import RATE_JUMP_WARNING as WARN_CHANGE
from cmhcost.domain.limits import REFRESH_TIMEOUT_SECONDS as TIMEOUT_SECONDS
from cmhcost.domain.money import check_rate
from cmhcost.schema.rates import RateSet

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
        try:
            rates[code] = check_rate(rate)
        except ValueError as exc:
            raise RefreshError(f"{shape}: {code}: {exc}") from None
    return rates


def select(fetched: RateSet, currencies: Iterable[str] = ()) -> RateSet:
    """The asked currencies of `fetched` (all when none are asked); RefreshError names a missing one."""
    wanted = set(currencies)
    missing = sorted(wanted - set(fetched.rates) - {fetched.base})
    if missing:
        raise RefreshError(
            f"the rate service has no rate for {', '.join(missing)} on {fetched.date}"
        )
    if not wanted:
        return fetched
    kept = {code: rate for code, rate in fetched.rates.items() if code in wanted}
    return fetched.model_copy(update={"rates": kept})


def big_moves(known: Iterable[RateSet], fetched: RateSet) -> Iterable[str]:
    """Rates more than RATE_JUMP_WARNING (10%) from the same currency's nearest earlier (or same-day) stored rate."""
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
                f"on {earlier.date} ({earlier.source}); more than {WARN_CHANGE:.0%} apart"
            )
