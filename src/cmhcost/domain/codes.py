"""ISO 4217 currency and ISO 3166-1 country codes, from pycountry, with hints for common slips."""

from __future__ import annotations

from functools import cache


@cache
def _currency_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def _country_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


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
