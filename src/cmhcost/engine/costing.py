"""Unit costs derived from an annual budget and a capacity, with the arithmetic spelled out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from cmhcost.domain.money import Range
from cmhcost.domain.number_text import at_most_cents, span
from cmhcost.schema.pilot_terms import equivalent_annual_cost
from cmhcost.schema.services import DAYS_PER_YEAR, Budget, Figure, FigureKind, Service, Unit


@dataclass(frozen=True)
class Derivation:
    """A unit cost derived from a budget: the total, the units it buys a year, and how."""

    total: Range  # running costs and annualised capital
    units_per_year: Range
    unit: Unit
    unit_cost: Range
    steps: tuple[str, ...]
    capital: Range = Range.of(0)  # the equivalent annual cost of the start-up lines


def amount_text(value: Range) -> str:
    """A range for the arithmetic shown to people: two decimals at most."""
    return span(value, at_most_cents)


def derive(budget: Budget) -> Derivation:
    """Divide the budget's total by the units its capacity provides in a year."""
    total = reduce(Range.__add__, (line.amount for line in budget.lines))
    capacity = budget.capacity
    lines = " + ".join(f"{amount_text(line.amount)} ({line.label})" for line in budget.lines)
    steps = [f"annual budget: {lines} = {budget.currency} {amount_text(total)}"]
    capital, capital_steps = annualised_capital(budget)
    if budget.capital:
        steps += capital_steps
        steps.append(
            f"annual cost: {amount_text(total)} running + {amount_text(capital)} capital = "
            f"{budget.currency} {amount_text(total + capital)}"
        )
        total = total + capital
    if capacity.beds is not None and capacity.occupancy is not None:
        units = capacity.beds * capacity.occupancy
        units = units.scale(DAYS_PER_YEAR)
        unit = Unit.BED_NIGHT
        steps.append(
            f"bed-nights a year: {amount_text(capacity.beds)} beds × {amount_text(capacity.occupancy)} occupancy "
            f"× 365.25 = {amount_text(units)}"
        )
    elif capacity.residents is not None:
        units, unit = capacity.residents, Unit.PERSON_YEAR
        steps.append(f"person-years: {amount_text(units)} residents all year")
    elif capacity.people_per_year is not None:
        units, unit = capacity.people_per_year, Unit.PERSON
        steps.append(f"people served a year: {amount_text(units)}")
    else:
        assert capacity.population is not None
        units, unit = capacity.population, Unit.CAPITA_YEAR
        steps.append(f"catchment population: {amount_text(units)}")
    unit_cost = total / units
    steps.append(
        f"unit cost: {amount_text(total)} / {amount_text(units)} = {budget.currency} {amount_text(unit_cost)} per {unit.value}"
    )
    return Derivation(total, units, unit, unit_cost, tuple(steps), capital)


def annualised_capital(budget: Budget) -> tuple[Range, list[str]]:
    """The equivalent annual cost of the budget's start-up lines, and the arithmetic of each."""
    rate = budget.discount_rate
    total, steps = Range.of(0), []
    for line in budget.capital:
        eac = equivalent_annual_cost(line.amount, line.life_years, rate)
        steps.append(
            f"capital, {line.label}: {amount_text(line.amount)} over {amount_text(line.life_years)} years at "
            f"{amount_text(rate.scale(Decimal(100)))}% = C × r / (1 − (1 + r)^−n) = "
            f"{budget.currency} {amount_text(eac)} a year"
        )
        total = total + eac
    return total, steps


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
