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


def _kernel(f: Callable[[float, float], float]) -> Callable[[list[float], Any], list[float]]:
    def apply(mine: list[float], theirs: Any) -> list[float]:
        if isinstance(theirs, list):
            return list(map(f, mine, theirs))
        return [f(a, theirs) for a in mine]

    return apply


def _mul(mine: list[float], theirs: Any) -> list[float]:
    if isinstance(theirs, list):
        return [a * b for a, b in zip(mine, theirs, strict=True)]
    return [a * theirs for a in mine]


def _add(mine: list[float], theirs: Any) -> list[float]:
    if isinstance(theirs, list):
        return [a + b for a, b in zip(mine, theirs, strict=True)]
    return [a + theirs for a in mine]


def _sub(mine: list[float], theirs: Any) -> list[float]:
    if isinstance(theirs, list):
        return [a - b for a, b in zip(mine, theirs, strict=True)]
    return [a - theirs for a in mine]


def _div(mine: list[float], theirs: Any) -> list[float]:
    if isinstance(theirs, list):
        return [a / b for a, b in zip(mine, theirs, strict=True)]
    return [a / theirs for a in mine]


_KERNELS: dict[str, Callable[[list[float], Any], list[float]]] = {
    "add": _add,
    "sub": _sub,
    "rsub": _kernel(lambda a, b: b - a),
    "mul": _mul,
    "div": _div,
    "rdiv": _kernel(lambda a, b: b / a),
    "pow": _kernel(operator.pow),
    "rpow": _kernel(lambda a, b: b**a),
}


def _value(other: Any) -> Any:
    if isinstance(other, Column):
        return other.values
    if isinstance(other, (Decimal, int, float)) and not isinstance(other, bool):
        return float(other)
    return None


class Column:
    """Draws of one number, combined element by element with another column or a number.

    A result is remembered against its operand: interval arithmetic on a point range computes the
    same product four times (low x low, low x high, ...), and gets one column back each time.
    """

    __slots__ = ("_memo", "values")
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self._memo: dict[tuple[str, int], tuple[Any, Column]] = {}

    def __len__(self) -> int:
        return len(self.values)

    def _apply(self, other: Any, name: str) -> Any:
        key = (name, id(other))
        found = self._memo.get(key)
        if found is not None and found[0] is other:
            return found[1]
        theirs = _value(other)
        if theirs is None:
            return NotImplemented
        result = Column(_KERNELS[name](self.values, theirs))
        self._memo[key] = (other, result)
        return result

    def __add__(self, other: Any) -> Any:
        return self._apply(other, "add")

    def __radd__(self, other: Any) -> Any:
        return self._apply(other, "add")

    def __sub__(self, other: Any) -> Any:
        return self._apply(other, "sub")

    def __rsub__(self, other: Any) -> Any:
        return self._apply(other, "rsub")

    def __mul__(self, other: Any) -> Any:
        return self._apply(other, "mul")

    def __rmul__(self, other: Any) -> Any:
        return self._apply(other, "mul")

    def __truediv__(self, other: Any) -> Any:
        return self._apply(other, "div")

    def __rtruediv__(self, other: Any) -> Any:
        return self._apply(other, "rdiv")

    def __pow__(self, other: Any) -> Any:
        return self._apply(other, "pow")

    def __rpow__(self, other: Any) -> Any:
        return self._apply(other, "rpow")

    def __neg__(self) -> Column:
        return Column([-a for a in self.values])

    def _compare(self, other: Any, op: Callable[[float, float], bool]) -> bool:
        theirs = _value(other)
        if theirs is None:
            raise TypeError(f"a column compares with numbers, not {type(other).__name__}")
        if theirs is self.values or theirs == self.values:  # the ends of a point range
            return op(1.0, 1.0)
        if isinstance(theirs, list):
            answers = [op(a, b) for a, b in zip(self.values, theirs, strict=True)]
        else:
            answers = [op(a, theirs) for a in self.values]
        if not answers:
            return False
        first = answers[0]
        if (first and not all(answers)) or (not first and any(answers)):
            raise MixedBranch("the draws take different branches of the arithmetic")
        return first

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
