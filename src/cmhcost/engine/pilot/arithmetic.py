"""The pilot's arithmetic, in one pure function: numeric inputs in, outcomes out.

`appraise` is all the money arithmetic of `cmhcost pilot`; loading, price years, ranking and
formatting live elsewhere, so a sensitivity analysis can call it many times with inputs changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from cmhcost.domain.money import Range
from cmhcost.engine.pilot.cashflow import CashFlow, cash_flow
from cmhcost.schema.pilot_terms import equivalent_annual_cost
from cmhcost.schema.services import DAYS_PER_YEAR

ONE = Range.of(1)
ZERO = Range.of(0)


class Reach(str, Enum):
    """Whether a break-even point can be reached: at 1 (every bed full, every stay substituting)."""

    REACHABLE = "reachable"
    PARTLY = "reachable only at part of the range"
    UNREACHABLE = "unreachable at this budget"


def reach(share: Range | None) -> Reach | None:
    """Judged for each end of the range: a share above 1 cannot be reached; exactly 1 can."""
    if share is None:
        return None
    if share.low > 1:
        return Reach.UNREACHABLE
    return Reach.PARTLY if share.high > 1 else Reach.REACHABLE


@dataclass(frozen=True)
class PilotInputs:
    """The numbers a pilot's appraisal rests on, in the pilot's currency at its price year.

    `baseline` is the baseline's cost per unit compared (its own currency and price year);
    `factor` takes it to the pilot's currency and price year (index factor x exchange rate).
    Capacity is either `beds` x `occupancy` x 365.25 bed-nights, or `units` a year; a pilot
    costed per stay and compared per day multiplies the units by `days_per_unit`.
    """

    running: Range  # the annual running budget
    capital: tuple[tuple[Range, Range], ...]  # (amount, useful life in years) per capital line
    discount_rate: Range
    baseline: Range
    factor: Decimal = Decimal(1)
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
    """What `appraise` returns; money in the pilot's currency at its price year, a year."""

    annual_cost: Range  # running budget + equivalent annual cost of the capital
    unit_cost: Range
    baseline: Range  # the baseline at the pilot's currency and price year
    baseline_factor: Decimal  # the factor that took the stated baseline there
    ratio: Range  # unit cost / baseline (low over high)
    parity_budget: Range  # baseline x units: the cost at which a unit costs the baseline's
    parity_occupancy: Range | None  # the occupancy at which the unit cost equals the baseline
    annual_saving: Range  # substitution x (parity budget - annual cost)
    net_saving: Range  # baseline care replaced (substitution x parity budget) - annual cost
    neutral_budget: Range  # the annual cost at which the net saving is 0: substitution x parity
    neutral_occupancy: Range | None  # the occupancy at which the net saving is 0
    neutral_substitution: Range  # the substitution share at which the net saving is 0
    cash_flow: CashFlow | None  # the horizon year by year, when there is one

    @property
    def horizon_net(self) -> Range | None:
        """The discounted net saving over the horizon."""
        return None if self.cash_flow is None else self.cash_flow.net

    @property
    def reach(self) -> Reach | None:
        """Budget neutrality by occupancy, for each end of the range."""
        return reach(self.neutral_occupancy)


def annual_cost(inputs: PilotInputs) -> Range:
    """Running budget plus each capital line's equivalent annual cost C x r / (1 - (1 + r)^-n)."""
    rate = inputs.discount_rate
    capital = [equivalent_annual_cost(a, life, rate) for a, life in inputs.capital]
    return sum(capital, inputs.running)


def appraise(inputs: PilotInputs) -> Outcomes:
    """Every money outcome of a pilot from its numeric inputs (interval arithmetic, Decimal).

    With T the annual cost, U the units a year, B the baseline per unit (stated x factor) and
    s the substitution share:
    unit cost T / U; ratio (T / U) / B; parity budget B x U; annual saving s x (B x U - T);
    net saving s x B x U - T; budget-neutral budget s x B x U; budget-neutral substitution
    T / (B x U); with beds, parity occupancy T / (beds x 365.25 x B) and budget-neutral
    occupancy T / (beds x 365.25 x B x s). The horizon is a cash flow (see `cashflow`): running
    costs, the baseline care avoided (s x B x U a year) and capital when it is spent.
    """
    total = annual_cost(inputs)
    units = inputs.units_per_year
    baseline = inputs.baseline.scale(inputs.factor)
    share = inputs.substitution
    unit_cost = total / units
    parity = baseline * units
    neutral = parity * share
    parity_occupancy = neutral_occupancy = None
    if inputs.beds is not None and inputs.occupancy is not None:
        place_days = (inputs.beds * baseline * inputs.days_per_unit).scale(DAYS_PER_YEAR)
        parity_occupancy = total / place_days
        neutral_occupancy = total / (place_days * share)
    flow = None
    if inputs.horizon_years is not None:
        flow = cash_flow(
            inputs.horizon_years, inputs.discount_rate, inputs.running, neutral, inputs.capital
        )
    return Outcomes(
        annual_cost=total,
        unit_cost=unit_cost,
        baseline=baseline,
        baseline_factor=inputs.factor,
        ratio=unit_cost / baseline,
        parity_budget=parity,
        parity_occupancy=parity_occupancy,
        annual_saving=(parity - total) * share,
        net_saving=neutral - total,
        neutral_budget=neutral,
        neutral_occupancy=neutral_occupancy,
        neutral_substitution=total / parity,
        cash_flow=flow,
    )
