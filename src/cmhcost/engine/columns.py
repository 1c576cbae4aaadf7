"""A column of floats that passes through the pilot's arithmetic as one number.

A probabilistic analysis runs the pilot's own arithmetic (interval arithmetic over `Range`) on
thousands of draws. Run draw by draw it costs a millisecond each, mostly in building `Range`
objects; run once with each input a point `Range` whose ends are a `Column` (every draw of that
input), it costs one pass of list arithmetic per operation. The arithmetic is the same code: a
column only stands in for a number.

A branch of the arithmetic (`if rate == 0`, the larger of two interval ends) must go the same way
for every draw, or the column would take one draw's branch for all: a comparison whose answer
differs between draws raises `MixedBranch`, and the caller then evaluates draw by draw. Interval
ends of a point range are equal, so `min` and `max` over them compare as uniformly false.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any


class MixedBranch(ArithmeticError):
    """A comparison that some draws of a column pass and others do not."""


def _value(other: Any) -> Any:
    if isinstance(other, Column):
        return other.values
    if isinstance(other, (Decimal, int, float)) and not isinstance(other, bool):
        return float(other)
    return None


class Column:
    """Draws of one number, combined element by element with another column or a number."""

    __slots__ = ("values",)
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, values: Sequence[float]) -> None:
        self.values = list(values)

    def __len__(self) -> int:
        return len(self.values)

    def _apply(self, other: Any, op: Callable[[float, float], float], swap: bool) -> Any:
        theirs = _value(other)
        if theirs is None:
            return NotImplemented
        mine = self.values
        if isinstance(theirs, list):
            pairs = zip(theirs, mine, strict=True) if swap else zip(mine, theirs, strict=True)
            return Column([op(a, b) for a, b in pairs])
        if swap:
            return Column([op(theirs, a) for a in mine])
        return Column([op(a, theirs) for a in mine])

    def __add__(self, other: Any) -> Any:
        return self._apply(other, operator.add, False)

    def __radd__(self, other: Any) -> Any:
        return self._apply(other, operator.add, True)

    def __sub__(self, other: Any) -> Any:
        return self._apply(other, operator.sub, False)

    def __rsub__(self, other: Any) -> Any:
        return self._apply(other, operator.sub, True)

    def __mul__(self, other: Any) -> Any:
        return self._apply(other, operator.mul, False)

    def __rmul__(self, other: Any) -> Any:
        return self._apply(other, operator.mul, True)

    def __truediv__(self, other: Any) -> Any:
        return self._apply(other, operator.truediv, False)

    def __rtruediv__(self, other: Any) -> Any:
        return self._apply(other, operator.truediv, True)

    def __pow__(self, other: Any) -> Any:
        return self._apply(other, operator.pow, False)

    def __rpow__(self, other: Any) -> Any:
        return self._apply(other, operator.pow, True)

    def __neg__(self) -> Column:
        return Column([-a for a in self.values])

    def _compare(self, other: Any, op: Callable[[float, float], bool]) -> bool:
        answers = self._apply(other, op, False)
        if answers is NotImplemented:
            raise TypeError(f"a column compares with numbers, not {type(other).__name__}")
        first = answers.values[0] if answers.values else False
        if any(a != first for a in answers.values):
            raise MixedBranch("the draws take different branches of the arithmetic")
        return bool(first)

    def __lt__(self, other: Any) -> bool:
        return self._compare(other, operator.lt)

    def __le__(self, other: Any) -> bool:
        return self._compare(other, operator.le)

    def __gt__(self, other: Any) -> bool:
        return self._compare(other, operator.gt)

    def __ge__(self, other: Any) -> bool:
        return self._compare(other, operator.ge)

    def __eq__(self, other: object) -> bool:
        return self._compare(other, operator.eq)

    def __ne__(self, other: object) -> bool:
        return self._compare(other, operator.ne)

    def __bool__(self) -> bool:
        return self._compare(0, operator.ne)
