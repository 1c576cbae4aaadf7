"""Exact money: `Decimal` amounts and low-high ranges with interval arithmetic."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator


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

    def scale(self, factor: Decimal) -> Range:
        """Multiply both bounds by a positive factor."""
        return Range(low=self.low * factor, high=self.high * factor)

    def __add__(self, other: Range) -> Range:
        return Range(low=self.low + other.low, high=self.high + other.high)

    def __sub__(self, other: Range) -> Range:
        return Range(low=self.low - other.high, high=self.high - other.low)

    def __mul__(self, other: Range) -> Range:
        ends = [a * b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Range(low=min(ends), high=max(ends))

    def __truediv__(self, other: Range) -> Range:
        if other.low <= 0 <= other.high:
            raise ZeroDivisionError("division by a range that contains zero")
        ends = [a / b for a in (self.low, self.high) for b in (other.low, other.high)]
        return Range(low=min(ends), high=max(ends))

    def __str__(self) -> str:
        return str(self.low) if self.is_point else f"{self.low}-{self.high}"
