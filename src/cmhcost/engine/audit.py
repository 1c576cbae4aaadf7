"""Audits of the data against itself: the guidance's USD equivalents recomputed from stored rates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cmhcost.conversion.exchange import RateTable, month_end
from cmhcost.conversion.units import Notes, target_unit, to_unit
from cmhcost.domain.choices import Per
from cmhcost.domain.errors import RateNotFoundError
from cmhcost.domain.limits import USD_TOLERANCE_PCT
from cmhcost.domain.money import Range
from cmhcost.engine.costing import Derivation, derive
from cmhcost.engine.heading import Stamp
from cmhcost.schema.dataset import Dataset, iter_figures
from cmhcost.schema.services import Figure, Service


@dataclass(frozen=True)
class UsdCheck:
    """A printed USD equivalent against the one the stored rate for its month gives."""

    service: Service
    figure: Figure
    printed: Range
    computed: Range | None  # None when no rate is stored for the month
    deviation_pct: Decimal | None  # the larger deviation of the two bounds, in percent
    rate_date: date | None
    missing_rate: RateNotFoundError | None = None  # why it could not be recomputed

    @property
    def off(self) -> bool:
        """True when the printed figure is more than the tolerance away, or cannot be checked."""
        return self.deviation_pct is None or abs(self.deviation_pct) > USD_TOLERANCE_PCT


def check_usd(data: Dataset, rates: RateTable) -> Iterator[UsdCheck]:
    """Recompute every printed USD equivalent at its own conversion month."""
    for _, service, _, figure in iter_figures(data):
        if figure.usd is None or figure.currency == "USD":
            continue
        printed = figure.usd.amount
        try:
            conversion = rates.convert(
                figure.amount, figure.currency, "USD", month_end(figure.usd.as_of)
            )
        except RateNotFoundError as exc:
            yield UsdCheck(service, figure, printed, None, None, None, exc)
            continue
        computed = conversion.amount
        deviation = (
            max(
                (printed.low - computed.low) / computed.low,
                (printed.high - computed.high) / computed.high,
                key=abs,
            )
            * 100
        )
        yield UsdCheck(service, figure, printed, computed, deviation, conversion.rate_date)


@dataclass(frozen=True)
class Flag:
    """A flag recorded in the data: the record, where in it, and what looks wrong."""

    service: Service
    where: str
    text: str


def flagged(data: Dataset) -> Iterator[Flag]:
    """Every flag recorded in the data."""
    for service in data.services.values():
        for flag in service.flags:
            yield Flag(service, "record", flag)
        for _, _, loc, figure in iter_figures(Dataset({service.id: service})):
            for flag in figure.flags:
                yield Flag(service, ".".join(map(str, loc)), flag)
        for baseline in service.baselines:
            for flag in baseline.flags:
                yield Flag(service, f"baseline {baseline.id}", flag)


@dataclass(frozen=True)
class BudgetCheck:
    """A unit cost derived from a record's budget against the unit cost the text states."""

    service: Service
    derivation: Derivation
    derived: Range | None  # on the stated figure's unit; None when the units do not convert
    stated: Figure
    difference_pct: Range | None  # (derived - stated) / stated, in percent


def check_budgets(data: Dataset) -> Iterator[BudgetCheck]:
    """Every record whose budget names a stated figure to check against."""
    for service in data.services.values():
        budget = service.budget
        if budget is None or budget.check is None:
            continue
        stated = next(f for f in service.figures if f.id == budget.check)
        derivation = derive(budget)
        per_unit = target_unit(stated.unit, Per.NATIVE)
        derived = to_unit(derivation.unit_cost, derivation.unit, per_unit, Notes())
        if derived is None or stated.currency != budget.currency:
            yield BudgetCheck(service, derivation, None, stated, None)
            continue
        difference = (derived - stated.amount) / stated.amount
        yield BudgetCheck(service, derivation, derived, stated, difference.scale(Decimal(100)))


@dataclass(frozen=True)
class Audit:
    """What `cmhcost audit` found: USD equivalents, budgets against stated costs, flags."""

    usd_checks: tuple[UsdCheck, ...]
    budget_checks: tuple[BudgetCheck, ...]
    flags: tuple[Flag, ...]
    stamp: Stamp = field(default_factory=Stamp)  # what produced the report


def audit(
    data: Dataset, rates: RateTable, every_usd_check: bool = False, stamp: Stamp | None = None
) -> Audit:
    """Audit the data: the USD equivalents off by more than the tolerance (or all), budgets, flags."""
    checks = tuple(c for c in check_usd(data, rates) if every_usd_check or c.off)
    return Audit(checks, tuple(check_budgets(data)), tuple(flagged(data)), stamp or Stamp())
