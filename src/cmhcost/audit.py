"""Audits of the data against itself: the guidance's USD equivalents recomputed from stored rates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from cmhcost.compare import Notes, target_basis, to_basis
from cmhcost.costing import Derivation, derive
from cmhcost.currency import RateTable, month_end
from cmhcost.dataset import Dataset, iter_figures
from cmhcost.errors import RateNotFoundError
from cmhcost.models import Figure, Service
from cmhcost.money import Range
from cmhcost.options import Per

TOLERANCE_PCT = Decimal(2)


@dataclass(frozen=True)
class UsdCheck:
    """A printed USD equivalent against the one the stored rate for its month gives."""

    service: Service
    figure: Figure
    printed: Range
    computed: Range | None  # None when no rate is stored for the month
    deviation_pct: Decimal | None  # the larger deviation of the two bounds, in percent
    rate_date: str

    @property
    def off(self) -> bool:
        """True when the printed figure is more than the tolerance away, or cannot be checked."""
        return self.deviation_pct is None or abs(self.deviation_pct) > TOLERANCE_PCT


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
            yield UsdCheck(service, figure, printed, None, None, str(exc))
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
        yield UsdCheck(service, figure, printed, computed, deviation, str(conversion.rate_date))


def flagged(data: Dataset) -> Iterator[tuple[Service, str, str]]:
    """Every flag recorded in the data: record, where, text."""
    for service in data.services.values():
        for flag in service.flags:
            yield service, "record", flag
        for _, _, loc, figure in iter_figures(Dataset({service.id: service})):
            for flag in figure.flags:
                yield service, ".".join(map(str, loc)), flag
        for baseline in service.baselines:
            for flag in baseline.flags:
                yield service, f"baseline {baseline.id}", flag


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
        basis = target_basis(stated.unit, Per.NATIVE)
        derived = to_basis(derivation.unit_cost, derivation.unit, basis, Notes())
        if derived is None or stated.currency != budget.currency:
            yield BudgetCheck(service, derivation, None, stated, None)
            continue
        difference = (derived - stated.amount) / stated.amount
        yield BudgetCheck(service, derivation, derived, stated, difference.scale(Decimal(100)))
