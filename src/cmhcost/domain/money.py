"""Exact money: `Decimal` amounts and low-high ranges with interval arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from cmhcost.domain.limits import LARGEST, MAX_DIGITS, SMALLEST


# Money is Range's main use, but every exact quantity that may be a range uses it too: beds,
# occupancy, people served, relative values and ratios (the docstring goes into the JSON Schema).
class Range(BaseModel):
    """A closed interval of exact numbers; a single amount has low == high."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    low: Decimal
    high: Decimal

    @field_validator("low", "high", mode="before")
    @classmethod
    def _number(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("must be a number, not true/false")
        if isinstance(value, float):
            return Decimal(repr(value))
        return value

    @field_validator("low", "high")
    @classmethod
    def _finite(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("must be a finite number")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self

    @classmethod
    def of(cls, low: Decimal | int | str, high: Decimal | int | str | None = None) -> Range:
        """Build a range from one amount or two bounds."""
        lo = Decimal(low)
        return cls(low=lo, high=lo if high is None else Decimal(high))

    @property
    def is_point(self) -> bool:
        """True when the range is a single amount."""
        return self.low == self.high

    @classmethod
    def _between(cls, low: Decimal, high: Decimal) -> Range:
        """A result of interval arithmetic: ordered and finite by construction, so not revalidated
        (validation is for input; arithmetic builds thousands of ranges in a comparison)."""
        return cls.model_construct(low=low, high=high)

    def scale(self, factor: Decimal) -> Range:
        """Multiply both bounds by a factor."""
        low, high = self.low * factor, self.high * factor
        return Range._between(min(low, high), max(low, high))

    def __add__(self, other: Range) -> Range:
        return Range._between(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Range) -> Range:
        return Range._between(self.low - other.high, self.high - other.low)

    def __mul__(self, other: Range) -> Range:
        ends = [a * b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Range._between(min(ends), max(ends))

    def __truediv__(self, other: Range) -> Range:
        if other.low <= 0 <= other.high:
            raise ZeroDivisionError("division by a range that contains zero")
        ends = [a / b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Range._between(min(ends), max(ends))

    def __str__(self) -> str:
        return str(self.low) if self.is_point else f"{self.low}-{self.high}"


def check_number(value: Decimal) -> Decimal:
    """`value` when it lies within the bounds above; a ValueError saying them otherwise."""
    if not value.is_finite():
        raise ValueError("must be a finite number")
    outside = value != 0 and not SMALLEST <= value.copy_abs() < LARGEST
    if outside or _significant_digits(value) > MAX_DIGITS:
        raise ValueError(
            f"{value} is beyond what cmhcost computes exactly: write a number from {SMALLEST} "
            f"to below {LARGEST:,.0f} in size, with at most {MAX_DIGITS} significant digits"
        )
    return value


def check_rate(rate: Decimal) -> Decimal:
    """An exchange rate: a finite number above zero within the bounds of `check_number`."""
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"a rate must be a finite number above zero, not {rate}")
    return check_number(rate)


def all_rates(numerals: Sequence[str]) -> list[Decimal] | None:
    """The rates the numerals write when `check_rate` accepts every one, tested at once on the
    extremes (a file's thousands of rates); None when some numeral needs `check_rate` to say why."""
    try:
        rates = list(map(Decimal, numerals))
        if not (min(rates) >= SMALLEST and max(rates) < LARGEST):
            return None
    except (InvalidOperation, ValueError):  # not a number, a NaN, or no numerals
        return None
    # A numeral has at least as many characters as significant digits: count only when long.
    if max(map(len, numerals)) > MAX_DIGITS and max(map(_significant_digits, rates)) > MAX_DIGITS:
        return None
    return rates


def _significant_digits(value: Decimal) -> int:
    digits = value.as_tuple().digits
    if len(digits) <= MAX_DIGITS:  # the common case: trailing zeros cannot matter
        return len(digits)
    return len("".join(map(str, digits)).strip("0"))


def check_range(value: Range) -> Range:
    """`value` when both its bounds pass `check_number`."""
    check_number(value.low)
    check_number(value.high)
    return value


def _to_range(value: Any) -> Any:
    """Accept `12`, `"12"`, `[10, 20]` or `{low: 10, high: 20}` for an amount."""
    if isinstance(value, Range):
        return value
    if isinstance(value, bool):
        return value  # rejected by Range with a clear message
    if isinstance(value, list) and len(value) == 2:
        return {"low": value[0], "high": value[1]}
    if isinstance(value, (int, float, str, Decimal)):
        return {"low": value, "high": value}
    return value


def read_amount(value: Any, handler: ValidatorFunctionWrapHandler) -> Range:
    """An amount as written, within the bounds of `check_range`; computed ranges pass as they are."""
    if isinstance(value, Range):
        return value
    return check_range(handler(_to_range(value)))
