"""ISO 4217 currency and ISO 3166-1 country codes, from pycountry, with hints for common slips."""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path


@cache
def _currency_codes() -> frozenset[str]:
    return iso_codes("4217", "alpha_3")


@cache
def _country_codes() -> frozenset[str]:
    return iso_codes("3166-1", "alpha_2")


def iso_codes(standard: str, field: str) -> frozenset[str]:
    """One kind of code of an ISO standard, from pycountry's tables (Debian's iso-codes).

    The table is read from pycountry's package data, found without importing pycountry: its
    import looks up its own version among the installed distributions, milliseconds on every
    command for two lists of codes. Its API answers should the data ever move.
    """
    try:
        table = _package_data("pycountry") / "databases" / f"iso{standard}.json"
        return frozenset(entry[field] for entry in json.loads(table.read_bytes())[standard])
    except (OSError, ValueError, KeyError, TypeError):
        import pycountry

        database = {"4217": pycountry.currencies, "3166-1": pycountry.countries}[standard]
        return frozenset(getattr(entry, field) for entry in database)


def _package_data(package: str) -> Path:
    """Where an installed package's files are, without importing it."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(package)
    return Path(next(iter(spec.submodule_search_locations)))


_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "NZ$": "NZD", "R$": "BRL", "₹": "INR"}


def check_currency(code: str) -> str:
    """Return an ISO 4217 code unchanged, or raise with a hint."""
    if code in _currency_codes():
        return code
    if code in _SYMBOLS or not code.isascii():
        hint = f"write the ISO 4217 code ({_SYMBOLS.get(code, 'e.g. USD, EUR, GBP')}), not a symbol"
        raise ValueError(f"{code!r} is a currency symbol; {hint}")
    if code.upper() in _currency_codes():
        raise ValueError(f"{code!r}: currency codes are upper case ({code.upper()!r})")
    raise ValueError(f"{code!r} is not an ISO 4217 currency code (e.g. USD, EUR, GBP, NZD)")


def check_country(code: str) -> str:
    """Return an ISO 3166-1 alpha-2 code unchanged, or raise with a hint."""
    if code.upper() in _country_codes() and code != code.upper():
        raise ValueError(f"{code!r}: country codes are upper case ({code.upper()!r})")
    if code not in _country_codes():
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. GB, NZ, BR)")
    return code
