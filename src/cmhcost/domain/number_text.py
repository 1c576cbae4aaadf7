"""Numbers as text: the one place that decides how a decimal or a range is written."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmhcost.domain.money import Range

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")
TENTH = Decimal("0.1")
WHOLE = Decimal(1)


def rounded(value: Decimal, places: Decimal) -> Decimal:
    """`value` rounded half-up to `places`, however large it is.

    A product of two numbers within money.py's bounds may have 28 digits before the point, more
    than quantize keeps in the default context.
    """
    needed = value.adjusted() - _exponent(places) + 2
    if needed <= getcontext().prec:  # the common case, without the cost of a new context
        return value.quantize(places, rounding=ROUND_HALF_UP)
    with localcontext() as context:
        context.prec = needed
        return value.quantize(places, rounding=ROUND_HALF_UP)


@cache
def _exponent(places: Decimal) -> int:
    return int(places.as_tuple().exponent)


def fixed(value: Decimal, places: Decimal = CENT) -> str:
    """A decimal rounded half-up to fixed places, as plain text (`-0.00` shows as `0.00`)."""
    text = f"{rounded(value, places):f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def plain(value: Decimal) -> str:
    """A decimal as written, never in exponent notation (`1e3` is `1000`)."""
    return f"{value:f}"


def rate(value: Decimal) -> str:
    """An exchange rate for people: six significant digits."""
    return f"{value:.6g}"


def grouped(value: Decimal, places: Decimal = CENT) -> str:
    """A decimal with thousands separators, for people."""
    return f"{Decimal(fixed(value, places)):,}"


def brief(value: Decimal) -> str:
    """Whole units from 100 up, cents below: enough for a person reading a table."""
    return grouped(value, WHOLE if abs(value) >= 100 else CENT)


def at_most_cents(value: Decimal) -> str:
    """Two decimals at most, trailing zeros dropped: for arithmetic shown to people."""
    return plain(rounded(value, CENT).normalize())


def span(value: Range, show: Callable[[Decimal], str] = grouped, joiner: str = "–") -> str:
    """A range as `low–high`, or one amount when low equals high after rounding."""
    low, high = show(value.low), show(value.high)
    return low if low == high else f"{low}{joiner}{high}"


def pair(value: Range | None, places: Decimal = CENT) -> dict[str, str] | None:
    """A range as `{"low": ..., "high": ...}` fixed-point strings, for machines."""
    if value is None:
        return None
    return {"low": fixed(value.low, places), "high": fixed(value.high, places)}
