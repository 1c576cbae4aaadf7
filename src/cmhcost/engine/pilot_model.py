"""The pilot's arithmetic as the uncertainty analyses call it: numeric inputs in, outcomes out.

`outcomes` is the one place that calls the pilot's money arithmetic (`engine.pilot.appraise`);
the sensitivity analyses and the PSA call nothing else. `model_of` takes a pilot's inputs from
its appraisal (`PilotReport.inputs`, in the pilot's currency at its price year) and `with_inputs`
changes those named by a parameter's path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import reduce

from cmhcost.conversion.units import Notes, target_unit, to_unit
from cmhcost.domain.choices import Per
from cmhcost.domain.errors import CmhcostError
from cmhcost.domain.money import Range
from cmhcost.engine.pilot import PilotInputs, PilotReport, appraise
from cmhcost.engine.pilot.cashflow import years_of
from cmhcost.schema.pilot_terms import PilotTerms
from cmhcost.schema.services import Service, Unit

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


def outcomes(inputs: PilotInputs) -> dict[str, Range | None]:
    """Every outcome the analyses report, by name (`OUTCOMES`): the one call to the arithmetic.

    The horizon's discounted net is the cash flow's last discounted cumulative net, from the
    cash flow's own years (`cashflow.years_of`) at the horizon's long end: `appraise` also finds
    the payback year, a comparison that draws would take different ways (see `columns`).
    """
    result = appraise(replace(inputs, horizon_years=None))
    horizon = None
    if inputs.horizon_years is not None:
        years = int(inputs.horizon_years.high)
        rows = years_of(years, inputs.running, result.neutral_budget, inputs.capital,
                        inputs.discount_rate)  # fmt: skip
        horizon = rows[-1].cumulative_discounted
    found = {name: getattr(result, name, None) for name in OUTCOMES}
    return {**found, "horizon_net": horizon}


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


def model_of(report: PilotReport) -> PilotModel:
    """The inputs of an appraised pilot, against its first baseline compared."""
    service, inputs = report.service, report.inputs
    if service.budget is None or inputs is None or not report.local_rows:
        raise CmhcostError(f"{service.id}: the analyses need the pilot's budget and a baseline")
    row = report.local_rows[0]
    terms = service.pilot or PilotTerms()
    index = next(i for i, b in enumerate(service.baselines) if b.id == row.baseline.id)
    cost = service.baselines[index].cost
    if cost is None:
        raise CmhcostError(f"{service.id}: the analyses need a baseline with a cost")
    los = terms.length_of_stay
    per_stay = cost.unit in STAYS and los is not None and row.figure.unit not in STAYS
    basis = target_unit(row.figure.unit, Per.NATIVE)
    per_unit = to_unit(ONE, Unit.PERSON_DAY if per_stay else cost.unit, basis, Notes())
    assert per_unit is not None  # the row was compared, so the units convert
    return PilotModel(
        service=service,
        currency=service.budget.currency,
        unit=row.unit,
        inputs=inputs,
        lines=tuple(line.amount for line in service.budget.lines),
        baseline_index=index,
        baseline_stated=cost.amount,
        baseline_scale=per_unit.low,
        length_of_stay=los if per_stay else None,
    )


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
    stated = values.get(key, model.baseline_stated)
    moved = los is not None and model.length_of_stay is not None and los != model.length_of_stay
    if stated != model.baseline_stated or moved:  # else exactly the pilot's own baseline
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
