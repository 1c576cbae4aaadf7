"""Deterministic sensitivity analysis of a pilot: one way (the tornado) and two ways (a grid).

Each evaluation is the pilot's own arithmetic (`pilot_model.outcomes`) at point values: every
parameter at its base, one or two moved. Amounts stay `Decimal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from cmhcost.domain.errors import UsageError
from cmhcost.domain.money import Range
from cmhcost.engine.parameters import SHARES, Parameter
from cmhcost.engine.pilot_model import PilotModel, outcomes, with_inputs

Values = dict[str, Decimal | None]
SHARE_FLOOR = Decimal("0.1")  # where a grid over a fixed share starts: at 0 nothing is counted
DECISION = "net_saving"  # the outcome a tornado is ordered by, and a grid shows


def evaluate_at(model: PilotModel, values: Mapping[str, Decimal]) -> Values:
    """Every outcome with each named parameter at a point value (others as the model states)."""
    found = outcomes(with_inputs(model, {k: Range.of(v) for k, v in values.items()}))
    return {name: None if value is None else value.low for name, value in found.items()}


def bases(parameters: tuple[Parameter, ...]) -> dict[str, Decimal]:
    """Every parameter at its base value."""
    return {p.name: p.base for p in parameters}


@dataclass(frozen=True)
class Swing:
    """One parameter at its low and at its high, the others at base."""

    parameter: Parameter
    at_low: Values
    at_high: Values

    def swing(self, outcome: str = DECISION) -> Decimal:
        """How far the outcome moves between the parameter's two ends (0 when it is not there)."""
        low, high = self.at_low[outcome], self.at_high[outcome]
        return Decimal(0) if low is None or high is None else abs(high - low)


@dataclass(frozen=True)
class OneWay:
    """The one-way analysis: the base case and a swing per varying parameter, largest first."""

    model: PilotModel
    parameters: tuple[Parameter, ...]
    base: Values
    swings: tuple[Swing, ...]
    ordered_by: str = DECISION


def one_way(model: PilotModel, parameters: tuple[Parameter, ...]) -> OneWay:
    """Each varying parameter at its low and its high in turn, ordered by the swing it causes."""
    base = bases(parameters)
    swings = [
        Swing(p, evaluate_at(model, {**base, p.name: p.low}),
              evaluate_at(model, {**base, p.name: p.high}))
        for p in parameters
        if p.low != p.high
    ]  # fmt: skip
    swings.sort(key=lambda s: (-s.swing(), s.parameter.name))
    return OneWay(model, parameters, evaluate_at(model, base), tuple(swings))


@dataclass(frozen=True)
class Grid:
    """The two-way analysis: net annual saving over a grid of two parameters.

    `saving[i][j]` is at `x_values[i]` and `y_values[j]`; `neutral[i]` is the `y` at which the
    saving is zero for `x_values[i]` (linear between grid points; None if not within the grid).
    """

    model: PilotModel
    x: Parameter
    y: Parameter
    x_values: tuple[Decimal, ...]
    y_values: tuple[Decimal, ...]
    saving: tuple[tuple[Decimal, ...], ...]
    neutral: tuple[Decimal | None, ...]
    base: Values


def find(parameters: tuple[Parameter, ...], name: str) -> Parameter:
    """A parameter by its path or, when only one has it, by the last part of its path."""
    exact = [p for p in parameters if p.name == name]
    matches = exact or [p for p in parameters if p.short == name]
    if len(matches) != 1:
        names = ", ".join(p.name for p in parameters)
        why = "is ambiguous" if matches else "names no parameter"
        raise UsageError(f"grid parameter {name!r} {why}; parameters: {names}")
    return matches[0]


def steps_of(parameter: Parameter, steps: int) -> tuple[Decimal, ...]:
    """`steps` values evenly from the parameter's low to its high."""
    width = (parameter.high - parameter.low) / (steps - 1)
    return tuple(parameter.low + width * i for i in range(steps - 1)) + (parameter.high,)


def _span(parameter: Parameter, steps: int) -> tuple[Decimal, ...]:
    """A parameter's grid values: low to high; a fixed share from 0.1 to 1 (its whole scale)."""
    if parameter.low != parameter.high:
        return steps_of(parameter, steps)
    if parameter.name in SHARES:
        return steps_of(replace(parameter, low=SHARE_FLOOR, high=Decimal(1)), steps)
    raise UsageError(
        f"{parameter.name} is fixed: give it a range in the pilot file, or a spread, to vary it"
    )


def two_way(
    model: PilotModel, parameters: tuple[Parameter, ...], x: str, y: str, steps: int
) -> Grid:
    """Net annual saving at every pair of `steps` values of two parameters, the others at base."""
    first, second = find(parameters, x), find(parameters, y)
    if first.name == second.name:
        raise UsageError("a grid takes two different parameters")
    if steps < 2:
        raise UsageError("a grid needs at least 2 steps")
    base = bases(parameters)
    xs, ys = _span(first, steps), _span(second, steps)
    table = tuple(
        tuple(_saving(model, {**base, first.name: a, second.name: b}) for b in ys) for a in xs
    )
    neutral = tuple(_zero(ys, row) for row in table)
    return Grid(model, first, second, xs, ys, table, neutral, evaluate_at(model, base))


def _saving(model: PilotModel, values: Mapping[str, Decimal]) -> Decimal:
    found = evaluate_at(model, values)[DECISION]
    assert found is not None  # every pilot with a budget and a baseline has a net saving
    return found


def _zero(ys: tuple[Decimal, ...], row: tuple[Decimal, ...]) -> Decimal | None:
    """Where the saving along one row of the grid first crosses zero, linear between points."""
    for i in range(len(ys) - 1):
        (y0, s0), (y1, s1) = (ys[i], row[i]), (ys[i + 1], row[i + 1])
        if s0 == 0:
            return y0
        if (s0 < 0) != (s1 < 0):
            return y0 + (y1 - y0) * (-s0) / (s1 - s0)
    return ys[-1] if row[-1] == 0 else None
