"""The pilot's arithmetic as the uncertainty analyses call it: numeric inputs in, outcomes out.

`outcomes` is the one place that calls the pilot's money arithmetic; the sensitivity analyses
and the PSA call nothing else. `PilotInputs` and `appraise` have the shape of the pure function
the pilot engine exposes (`engine.pilot.arithmetic`); until it does, `appraise` here performs
`engine.pilot.evaluate`'s arithmetic on those inputs with the same helpers (the equivalent annual
cost and the annuity factor of `schema.pilot_terms`), so switching is a change of import.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import reduce

from cmhcost.conversion.units import Notes, target_basis, to_basis
from cmhcost.domain.choices import Per
from cmhcost.domain.errors import CmhcostError
from cmhcost.domain.money import Range
from cmhcost.engine.compare import Row
from cmhcost.engine.costing import derived_figure
from cmhcost.schema.pilot_terms import PilotTerms, annuity_factor, equivalent_annual_cost
from cmhcost.schema.services import DAYS_PER_YEAR, Service, Unit

ONE = Range.of(1)
STAYS = (Unit.ADMISSION, Unit.EPISODE, Unit.PERSON)

# What the analyses report of each evaluation, in this order, with a label for people.
OUTCOMES: dict[str, str] = {
    "unit_cost": "unit cost",
    "ratio": "ratio to the baseline",
    "annual_saving": "annual saving",
    "net_saving": "net annual saving",
    "horizon_net": "horizon's discounted net saving",
    "neutral_occupancy": "budget-neutral occupancy",
}


@dataclass(frozen=True)
class PilotInputs:
    """The numbers a pilot's appraisal rests on, in the pilot's currency (see `appraise`)."""

    running: Range  # the annual running budget
    capital: tuple[tuple[Range, Range], ...]  # (amount, useful life in years) per capital line
    discount_rate: Range
    baseline: Range  # the baseline per unit compared, in its own currency
    factor: Decimal = Decimal(1)  # takes the baseline to the pilot's currency
    substitution: Range = ONE
    beds: Range | None = None
    occupancy: Range | None = None
    units: Range | None = None
    days_per_unit: Range = ONE
    horizon_years: Range | None = None

    @property
    def units_per_year(self) -> Range:
        """Units of the compared kind a year (bed-nights, or the capacity's units x days)."""
        if self.beds is not None and self.occupancy is not None:
            return (self.beds * self.occupancy).scale(DAYS_PER_YEAR) * self.days_per_unit
        assert self.units is not None, "a capacity: beds and occupancy, or units a year"
        return self.units * self.days_per_unit


@dataclass(frozen=True)
class Outcomes:
    """What `appraise` returns, in the pilot's currency, a year."""

    unit_cost: Range
    ratio: Range
    annual_saving: Range
    net_saving: Range
    horizon_net: Range | None
    neutral_occupancy: Range | None


def appraise(inputs: PilotInputs) -> Outcomes:
    """The pilot's money arithmetic, as `engine.pilot.evaluate` and `costing.derive` do it.

    T = running + each capital line's equivalent annual cost; U units a year; B = baseline x
    factor; s substitution. Unit cost T / U; ratio T / U / B; annual saving s x (B x U - T); net
    saving s x B x U - T; horizon net x annuity factor; budget-neutral occupancy
    T / (beds x 365.25 x days x B x s).
    """
    rate = inputs.discount_rate
    eac = (equivalent_annual_cost(a, life, rate) for a, life in inputs.capital)
    total = inputs.running + reduce(Range.__add__, eac, Range.of(0))
    units = inputs.units_per_year
    baseline = inputs.baseline.scale(inputs.factor)
    share = inputs.substitution
    unit_cost = total / units
    parity = baseline * units
    net = parity * share - total
    neutral = None
    if inputs.beds is not None and inputs.occupancy is not None:
        place_days = (inputs.beds * baseline * inputs.days_per_unit).scale(DAYS_PER_YEAR)
        neutral = total / (place_days * share)
    horizon = None
    if inputs.horizon_years is not None:
        horizon = net * annuity_factor(inputs.horizon_years, rate)
    return Outcomes(
        unit_cost=unit_cost,
        ratio=unit_cost / baseline,
        annual_saving=(parity - total) * share,
        net_saving=net,
        horizon_net=horizon,
        neutral_occupancy=neutral,
    )


def outcomes(inputs: PilotInputs) -> dict[str, Range | None]:
    """Every outcome the analyses report, by name (`OUTCOMES`): the one call to the arithmetic."""
    result = appraise(inputs)
    return {name: getattr(result, name) for name in OUTCOMES}


@dataclass(frozen=True)
class PilotModel:
    """A pilot as its analyses see it: its inputs as stated, and how a baseline is converted."""

    service: Service
    currency: str
    unit: str
    inputs: PilotInputs
    lines: tuple[Range, ...]  # the running budget's lines, which `inputs.running` sums
    baseline_index: int  # which of the record's baselines is compared
    baseline_stated: Range  # its amount as the file states it
    baseline_scale: Decimal  # its unit to the pilot's (per month to per day: 12 / 365.25)
    length_of_stay: Range | None  # a baseline per stay is divided by it, to compare per day


def model_of(service: Service, row: Row) -> PilotModel:
    """The inputs of a pilot record against the baseline of `row` (its first comparison)."""
    budget = service.budget
    figure = derived_figure(service)
    if budget is None or figure is None:
        raise CmhcostError(f"{service.id}: an uncertainty analysis needs the pilot's budget")
    terms = service.pilot or PilotTerms()
    capacity = budget.capacity
    index = next(i for i, b in enumerate(service.baselines) if b.id == row.baseline.id)
    cost = service.baselines[index].cost
    assert cost is not None  # a row was compared
    los = terms.length_of_stay
    per_stay = cost.unit in STAYS and los is not None and row.figure.unit not in STAYS
    basis = target_basis(row.figure.unit, Per.NATIVE)
    per_unit = to_basis(ONE, Unit.PERSON_DAY if per_stay else cost.unit, basis, Notes())
    assert per_unit is not None  # the row was compared, so the units convert
    inputs = PilotInputs(
        running=reduce(Range.__add__, (line.amount for line in budget.lines)),
        capital=tuple((line.amount, line.life_years) for line in budget.capital),
        discount_rate=budget.discount_rate,
        baseline=ONE,
        substitution=terms.substitution or ONE,
        beds=capacity.beds if capacity.occupancy is not None else None,
        occupancy=capacity.occupancy,
        units=capacity.residents or capacity.people_per_year or capacity.population,
        days_per_unit=los if figure.unit in STAYS and los is not None else ONE,
        horizon_years=terms.horizon_years,
    )
    model = PilotModel(
        service=service,
        currency=budget.currency,
        unit=row.unit,
        inputs=inputs,
        lines=tuple(line.amount for line in budget.lines),
        baseline_index=index,
        baseline_stated=cost.amount,
        baseline_scale=per_unit.low,
        length_of_stay=los if per_stay else None,
    )
    native = _baseline(model, cost.amount, los)
    factor = row.baseline_cost.high / native.high  # the exchange rate main's comparison used
    return replace(model, inputs=replace(inputs, baseline=native, factor=factor))


def _baseline(model: PilotModel, stated: Range, los: Range | None) -> Range:
    """The baseline per unit compared: the stated amount on the pilot's basis, per day of a stay."""
    per_unit = stated.scale(model.baseline_scale)
    if model.length_of_stay is None or los is None:
        return per_unit
    return per_unit / los


def with_inputs(model: PilotModel, values: dict[str, Range]) -> PilotInputs:
    """The model's inputs with those named by parameter path (see `parameters`) replaced."""
    base = model.inputs
    budget, pilot, capacity = "budget.", "pilot.", "budget.capacity."
    lines = [values.get(f"{budget}lines[{i}].amount", v) for i, v in enumerate(model.lines)]
    capital = tuple(
        (
            values.get(f"{budget}capital[{i}].amount", amount),
            values.get(f"{budget}capital[{i}].life_years", life),
        )
        for i, (amount, life) in enumerate(base.capital)
    )
    los = values.get(f"{pilot}length_of_stay")
    key = f"baselines[{model.baseline_index}].cost.amount"
    baseline = base.baseline
    if key in values or (los is not None and model.length_of_stay is not None):
        stated = values.get(key, model.baseline_stated)
        baseline = _baseline(model, stated, los or model.length_of_stay)
    count = next((values[f"{capacity}{k}"] for k in ("residents", "people_per_year",
                  "population") if f"{capacity}{k}" in values), base.units)  # fmt: skip
    factor = values.get(f"baselines[{model.baseline_index}].price_factor")
    return replace(
        base,
        running=reduce(Range.__add__, lines),
        capital=capital,
        discount_rate=values.get(f"{budget}discount_rate", base.discount_rate),
        baseline=baseline,
        factor=base.factor if factor is None else factor.low,
        substitution=values.get(f"{pilot}substitution", base.substitution),
        beds=values.get(f"{capacity}beds", base.beds) if base.beds is not None else None,
        occupancy=values.get(f"{capacity}occupancy", base.occupancy),
        units=count,
        days_per_unit=base.days_per_unit if los is None or base.days_per_unit == ONE else los,
    )
