"""Unit algebra: a figure's amount expressed per another unit of the same denominator.

A week is 7 days, a month 365.25/12 days, a year 365.25 days; a bed-night is one person-day.
Per-capita figures never mix with per-person ones, and units without a period (a visit, an
admission) convert to nothing else. Pure functions; each conversion leaves a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from cmhcost.domain.choices import Per
from cmhcost.domain.money import Range
from cmhcost.schema.services import DAYS_PER_MONTH, DAYS_PER_WEEK, DAYS_PER_YEAR, Denominator, Unit

PER_DAYS = {
    Per.DAY: Decimal(1),
    Per.WEEK: DAYS_PER_WEEK,
    Per.MONTH: DAYS_PER_MONTH,
    Per.YEAR: DAYS_PER_YEAR,
}


class Side(str, Enum):
    """Which amount of a comparison: the service's cost, or its baseline's."""

    COST = "cost"
    BASELINE = "baseline"


class StepKind(str, Enum):
    """What a conversion step changes: the period an amount is per, or its currency."""

    PERIOD = "period"
    CURRENCY = "currency"


@dataclass(frozen=True)
class ConversionStep:
    """One conversion of an amount on its way into a row, as data: a period or a currency."""

    side: Side
    kind: StepKind
    source: str  # the unit or currency converted from
    target: str  # the unit or currency converted to
    factor: Decimal  # what the amount was multiplied by
    rate_date: date | None = None
    rate_source: str | None = None
    why: str | None = None  # why this rate date


@dataclass
class Notes:
    """Notes of one comparison, each kept once, in order, and its conversions as data."""

    items: list[str] = field(default_factory=list)
    conversions: list[ConversionStep] = field(default_factory=list)
    side: Side = Side.COST  # which amount is being converted: the cost, then the baseline

    def add(self, note: str) -> None:
        """Add a note unless it is already there."""
        if note not in self.items:
            self.items.append(note)


@dataclass(frozen=True)
class TargetUnit:
    """The unit an amount is shown per after conversion (`person-day`, `visit`, ...).

    Not to be confused with `models.Denominator`, who or what a unit counts (`counts` here).
    """

    label: str
    counts: Denominator
    days: Decimal | None


def target_unit(unit: Unit, per: Per) -> TargetUnit:
    """The unit a figure of `unit` is shown per when the user asks for `per`.

    `per` applies to per-person units only: a whole-service total and a per-capita cost keep
    their own period (an annual budget is not a cost per day).
    """
    days = PER_DAYS.get(per)
    if days is None or unit.days is None or unit.denominator is not Denominator.PERSON:
        return TargetUnit(unit.value, unit.denominator, unit.days)
    return TargetUnit(f"{unit.denominator.value}-{per.value}", unit.denominator, days)


def to_unit(amount: Range, unit: Unit, target: TargetUnit, notes: Notes) -> Range | None:
    """Express an amount per the `target` unit, noting the conversion; None when it cannot be."""
    if unit.value == target.label:
        return amount
    if unit.denominator is not target.counts or unit.days is None or target.days is None:
        return None
    if Unit.BED_NIGHT.value in (unit.value, target.label):
        notes.add("a bed-night is counted as one person-day")
    if unit.days != target.days:
        step = period_step(unit.days, target.days)
        notes.add(f"per {unit.value} converted to per {target.label} ({step})")
        factor = target.days / unit.days
        notes.conversions.append(
            ConversionStep(notes.side, StepKind.PERIOD, unit.value, target.label, factor)
        )
    return amount.scale(target.days / unit.days)


def period_step(days: Decimal, target: Decimal) -> str:
    """The arithmetic of a change of period, for people: `× 365.25/12 days`, `÷ 7 days`, `× 12`."""
    if target > days:
        return "× " + _factor_text(target, days)
    return "÷ " + _factor_text(days, target)


def _factor_text(larger: Decimal, smaller: Decimal) -> str:
    factor = larger / smaller
    if smaller == 1:
        return f"{_days_text(larger)} days"
    if factor == factor.to_integral_value():
        return f"{factor:f}"
    return f"({_days_text(larger)}) / {_days_text(smaller)}"


def _days_text(days: Decimal) -> str:
    return {DAYS_PER_MONTH: "365.25/12", DAYS_PER_YEAR: "365.25"}.get(days, f"{days:f}")
