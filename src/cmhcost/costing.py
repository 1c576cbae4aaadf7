"""Unit costs derived from an annual budget and a capacity, with the arithmetic spelled out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from cmhcost.models import DAYS_PER_YEAR, Budget, Figure, FigureKind, Service, Unit
from cmhcost.money import Range


@dataclass(frozen=True)
class Derivation:
    """A unit cost derived from a budget: the total, the units it buys a year, and how."""

    total: Range
    units_per_year: Range
    unit: Unit
    unit_cost: Range
    steps: tuple[str, ...]


CENT = Decimal("0.01")


def _number(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP).normalize():f}"


def _text(value: Range) -> str:
    """A range for the arithmetic shown to people: two decimals at most."""
    low, high = _number(value.low), _number(value.high)
    return low if low == high else f"{low}–{high}"


def derive(budget: Budget) -> Derivation:
    """Divide the budget's total by the units its capacity provides in a year."""
    total = reduce(Range.__add__, (line.amount for line in budget.lines))
    capacity = budget.capacity
    lines = " + ".join(f"{_text(line.amount)} ({line.label})" for line in budget.lines)
    steps = [f"annual budget: {lines} = {budget.currency} {_text(total)}"]
    if capacity.beds is not None and capacity.occupancy is not None:
        units = capacity.beds * capacity.occupancy
        units = units.scale(DAYS_PER_YEAR)
        unit = Unit.BED_NIGHT
        steps.append(
            f"bed-nights a year: {_text(capacity.beds)} beds × {_text(capacity.occupancy)} occupancy "
            f"× 365.25 = {_text(units)}"
        )
    elif capacity.residents is not None:
        units, unit = capacity.residents, Unit.PERSON_YEAR
        steps.append(f"person-years: {_text(units)} residents all year")
    elif capacity.people_per_year is not None:
        units, unit = capacity.people_per_year, Unit.PERSON
        steps.append(f"people served a year: {_text(units)}")
    else:
        assert capacity.population is not None
        units, unit = capacity.population, Unit.CAPITA_YEAR
        steps.append(f"catchment population: {_text(units)}")
    unit_cost = total / units
    steps.append(
        f"unit cost: {_text(total)} / {_text(units)} = {budget.currency} {_text(unit_cost)} per {unit.value}"
    )
    return Derivation(total, units, unit, unit_cost, tuple(steps))


def derived_figure(service: Service) -> Figure | None:
    """The unit cost derived from the record's budget (added by `with_derived_figure`)."""
    if service.budget is None:
        return None
    return next(f for f in reversed(service.figures) if f.id == service.budget.id)


def stated_figures(service: Service) -> tuple[Figure, ...]:
    """The record's figures as its file states them, without the one derived from its budget."""
    derived = derived_figure(service)
    return tuple(f for f in service.figures if f is not derived)


def with_derived_figure(service: Service) -> Service:
    """The record with its budget's unit cost added as a figure, so it compares like any other."""
    if service.budget is None:
        return service
    budget = service.budget
    derivation = derive(budget)
    figure = Figure(
        id=budget.id,
        label=budget.label,
        kind=FigureKind.COST,
        amount=derivation.unit_cost,
        currency=budget.currency,
        unit=derivation.unit,
        price_year=budget.price_year,
        price_year_basis=budget.price_year_basis,
        price_year_note=budget.price_year_note,
        flags=budget.flags,
        source=budget.source,
    )
    return service.model_copy(update={"figures": (*service.figures, figure)})
