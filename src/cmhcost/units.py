"""Unit algebra: a figure's amount expressed per another unit of the same basis.

A week is 7 days, a month 365.25/12 days, a year 365.25 days; a bed-night is one person-day.
Per-capita figures never mix with per-person ones, and units without a period (a visit, an
admission) convert to nothing else. Pure functions; each conversion leaves a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cmhcost.models import DAYS_PER_MONTH, DAYS_PER_WEEK, DAYS_PER_YEAR, Basis, Unit
from cmhcost.money import Range
from cmhcost.options import Per

PER_DAYS = {
    Per.DAY: Decimal(1),
    Per.WEEK: DAYS_PER_WEEK,
    Per.MONTH: DAYS_PER_MONTH,
    Per.YEAR: DAYS_PER_YEAR,
}


@dataclass
class Notes:
    """Notes of one comparison, each kept once, in order."""

    items: list[str] = field(default_factory=list)

    def add(self, note: str) -> None:
        """Add a note unless it is already there."""
        if note not in self.items:
            self.items.append(note)


@dataclass(frozen=True)
class TargetUnit:
    """The unit an amount is shown per after conversion (`person-day`, `visit`, ...).

    Not to be confused with `models.Basis`, who or what a unit counts (`counts` here).
    """

    label: str
    counts: Basis
    days: Decimal | None


def target_basis(unit: Unit, per: Per) -> TargetUnit:
    """The basis a figure of `unit` is shown on when the user asks for `per`."""
    days = PER_DAYS.get(per)
    if days is None or unit.days is None:
        return TargetUnit(unit.value, unit.basis, unit.days)
    return TargetUnit(f"{unit.basis.value}-{per.value}", unit.basis, days)


def to_basis(amount: Range, unit: Unit, basis: TargetUnit, notes: Notes) -> Range | None:
    """Express an amount on `basis`, noting the conversion; None when it cannot be done."""
    if unit.value == basis.label:
        return amount
    if unit.basis is not basis.counts or unit.days is None or basis.days is None:
        return None
    if Unit.BED_NIGHT.value in (unit.value, basis.label):
        notes.add("a bed-night is counted as one person-day")
    if unit.days != basis.days:
        notes.add(f"per {unit.value} converted to per {basis.label} ({_days_text(unit.days)} days)")
    return amount.scale(basis.days / unit.days)


def _days_text(days: Decimal) -> str:
    return {DAYS_PER_MONTH: "365.25/12", DAYS_PER_YEAR: "365.25"}.get(days, str(days))
