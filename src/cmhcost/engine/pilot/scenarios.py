"""Several pilots side by side: which is cheaper per unit, which is budget-neutral, how they rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from cmhcost.domain.errors import named
from cmhcost.domain.money import Range
from cmhcost.engine.pilot.report import PilotReport


class Neutral(str, Enum):
    """Whether a pilot's net annual saving is at least zero."""

    YES = "budget-neutral or better"
    PARTLY = "budget-neutral at part of the range"
    NO = "not budget-neutral"
    UNKNOWN = "no baseline to judge by"


def neutrality(net: Range | None) -> Neutral:
    """Judged at each end of the net annual saving."""
    if net is None:
        return Neutral.UNKNOWN
    if net.low >= 0:
        return Neutral.YES
    return Neutral.PARTLY if net.high >= 0 else Neutral.NO


@dataclass(frozen=True)
class Scenario:
    """One pilot in the side-by-side comparison."""

    report: PilotReport
    cost_rank: (
        Range | None
    )  # among the scenarios by unit cost, cheapest first; None: not comparable
    neutral: Neutral


@dataclass(frozen=True)
class Scenarios:
    """The pilots side by side; `note` says why unit costs cannot be ranked, when they cannot."""

    rows: tuple[Scenario, ...]
    note: str | None


def side_by_side(reports: Sequence[PilotReport]) -> Scenarios:
    """A row per pilot; unit costs ranked when every pilot is in one currency, unit and basis."""
    kinds = {(r.currency, r.unit, r.basis, r.price_year) for r in reports}
    note = None
    if len(kinds) > 1:
        note = (
            "unit costs not ranked: the pilots differ in currency, unit, basis or price year; "
            f"run them on one {named('PPP basis')} at one price year to rank them"
        )
    rows = []
    for report in reports:
        rank = None
        if note is None:
            others = [r.cost for r in reports if r is not report]
            best = 1 + sum(1 for c in others if c.high < report.cost.low)
            worst = 1 + sum(1 for c in others if c.low <= report.cost.high)
            rank = Range.of(best, worst)
        rows.append(Scenario(report, rank, neutrality(report.net_saving)))
    return Scenarios(tuple(rows), note)
