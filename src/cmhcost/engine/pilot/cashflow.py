"""The pilot's horizon as cash: capital when it is spent, running costs, baseline care avoided.

Year 0 is the start: the capital outlay. Years 1..H are the running years: running costs and the
baseline care the pilot's substituting units avoid, at the end of each year, discounted by
1 / (1 + r)^t; a capital line is bought again in the year its useful life ends, when that is
before the horizon's end. Capital still in use at the horizon's end is not credited with any
remaining (residual) value: the cash flow is conservative for long-lived capital.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from cmhcost.domain.money import Range
from cmhcost.schema.pilot_terms import discount_factor

ZERO = Range.of(0)
RESIDUAL = (
    "capital is counted when it is spent (year 0, and again when a useful life ends before the "
    "horizon's end); capital still in use at the horizon's end is credited with no remaining "
    "value, so a long-lived asset's whole cost falls within the horizon"
)


@dataclass(frozen=True)
class CashYear:
    """One year of the cash flow; spending positive, `net` = avoided - running - capital."""

    year: int
    capital: Range
    running: Range
    avoided: Range
    net: Range
    cumulative: Range
    factor: Range  # 1 / (1 + r)^t
    discounted: Range
    cumulative_discounted: Range
    longer_only: bool = False  # past the short end of a ranged horizon

    def scaled(self, factor: Decimal) -> CashYear:
        """The year's amounts times `factor` (another currency or basis)."""
        money = ("capital", "running", "avoided", "net", "cumulative", "discounted")
        values = {name: getattr(self, name).scale(factor) for name in money}
        values["cumulative_discounted"] = self.cumulative_discounted.scale(factor)
        return CashYear(self.year, factor=self.factor, longer_only=self.longer_only, **values)


@dataclass(frozen=True)
class CashFlow:
    """The horizon year by year, its discounted net total and the payback year at each end."""

    horizon: Range
    rate: Range
    years: tuple[CashYear, ...]
    net: Range  # discounted net over the horizon: the sum of the discounted years
    payback: tuple[int | None, int | None]  # first year the discounted cumulative net >= 0:
    # (at the favourable end, at the unfavourable end); None: not within the horizon

    def scaled(self, factor: Decimal) -> CashFlow:
        """The cash flow's amounts times `factor`."""
        years = tuple(y.scaled(factor) for y in self.years)
        return CashFlow(self.horizon, self.rate, years, self.net.scale(factor), self.payback)


def replacement_years(life: Decimal, horizon: int) -> set[int]:
    """The years a line bought in year 0 is bought again: each time its life ends before the end."""
    years, k = set(), 1
    while life * k < horizon:
        years.add(math.ceil(life * k))
        k += 1
    return years


def capital_in(year: int, capital: tuple[tuple[Range, Range], ...], horizon: int) -> Range:
    """Capital spent in `year`: low end at the long life, high end at the short life."""
    if year == 0:
        return sum((amount for amount, _ in capital), ZERO)
    low = sum(
        (a.low for a, life in capital if year in replacement_years(life.high, horizon)),
        Decimal(0),
    )
    high = sum(
        (a.high for a, life in capital if year in replacement_years(life.low, horizon)),
        Decimal(0),
    )
    return Range.of(low, high)


def years_of(
    horizon: int,
    running: Range,
    avoided: Range,
    capital: tuple[tuple[Range, Range], ...],
    rate: Range,
) -> tuple[CashYear, ...]:
    """Years 0..horizon of the cash flow."""
    rows: list[CashYear] = []
    cumulative = cumulative_discounted = ZERO
    for year in range(horizon + 1):
        spent = capital_in(year, capital, horizon)
        run, saved = (ZERO, ZERO) if year == 0 else (running, avoided)
        net = saved - run - spent
        factor = discount_factor(year, rate)
        discounted = net * factor
        cumulative, cumulative_discounted = cumulative + net, cumulative_discounted + discounted
        rows.append(
            CashYear(year, spent, run, saved, net, cumulative, factor, discounted,
                     cumulative_discounted)
        )  # fmt: skip
    return tuple(rows)


def payback(years: tuple[CashYear, ...], end: str) -> int | None:
    """The first year whose discounted cumulative net (at `end`: low or high) is at least 0."""
    return next(
        (y.year for y in years if y.year > 0 and getattr(y.cumulative_discounted, end) >= 0),
        None,
    )


def cash_flow(
    horizon: Range,
    rate: Range,
    running: Range,
    avoided: Range,
    capital: tuple[tuple[Range, Range], ...],
) -> CashFlow:
    """The cash flow to the long end of the horizon; totals and paybacks at both ends."""
    short, long = int(horizon.low), int(horizon.high)
    rows = years_of(long, running, avoided, capital, rate)
    ends = [rows] if short == long else [years_of(short, running, avoided, capital, rate), rows]
    totals = [r[-1].cumulative_discounted for r in ends]
    net = Range.of(min(t.low for t in totals), max(t.high for t in totals))
    marked = tuple(CashYear(**{**y.__dict__, "longer_only": y.year > short}) for y in rows)
    best = min((p for p in (payback(r, "high") for r in ends) if p is not None), default=None)
    worst = payback(ends[0], "low") if short != long else payback(rows, "low")
    return CashFlow(horizon, rate, marked, net, (best, worst))
