"""A planner's pilot: its unit cost, its baseline, the break-even point, the saving and its rank.

Everything is worked out in the pilot's own currency, then converted once for display. Pure
functions over models and a rate table; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmhcost.compare import Converter, Row, Skipped, compare_one, conversion_date
from cmhcost.costing import Derivation, derive, derived_figure
from cmhcost.currency import RateTable
from cmhcost.errors import CmhcostError, PriceDataError, RateNotFoundError
from cmhcost.models import DAYS_PER_YEAR, Figure, FigureKind, Service
from cmhcost.money import Range
from cmhcost.options import Options, Per
from cmhcost.prices import PriceConverter
from cmhcost.records import Dataset
from cmhcost.units import Notes, target_basis, to_basis


@dataclass(frozen=True)
class Peer:
    """A service of the guidance costed on the pilot's unit basis and currency, for ranking."""

    service: Service
    figure_id: str
    cost: Range
    is_pilot: bool = False


@dataclass(frozen=True)
class PilotReport:
    """Everything `cmhcost pilot` says about one pilot, amounts in `currency`."""

    service: Service
    currency: str
    unit: str
    cost: Range
    derivation: Derivation | None
    comparisons: tuple[Row, ...]
    skipped: tuple[Skipped, ...]
    break_even_occupancy: Range | None
    break_even_budget: Range | None
    annual_saving: Range | None
    peers: tuple[Peer, ...]
    unranked: tuple[str, ...]
    price_year: int | None = None  # the pilot's own price year
    basis: str | None = None  # on a price basis: "2024 I$ (ppp)", else None (market rates)

    @property
    def rank(self) -> int:
        """The pilot's place among its peers by cost, cheapest first (1-based)."""
        return next(i for i, peer in enumerate(self.peers, 1) if peer.is_pilot)


def pilot_figure(service: Service) -> Figure:
    """The figure a pilot is judged by: its budget's unit cost, else its first figure."""
    figure = derived_figure(service) or next(iter(service.figures), None)
    if figure is None:
        raise CmhcostError(f"{service.id}: a pilot needs a budget or a cost figure")
    return figure


def currency_field(service: Service, currency: str) -> list[int | str]:
    """Where a pilot record states `currency`: its budget, else the first figure in it."""
    if service.budget is not None and service.budget.currency == currency:
        return ["budget", "currency"]
    index = next((i for i, f in enumerate(service.figures) if f.currency == currency), 0)
    return ["figures", index, "currency"]


def evaluate(
    service: Service,
    guidance: Dataset,
    rates: RateTable,
    currency: str | None = None,
    prices: PriceConverter | None = None,
) -> PilotReport:
    """Cost, baseline comparisons, break-even, saving and rank of a pilot record.

    With `prices`, every amount is taken to its price year and basis (the pilot's own break-even
    at the pilot's price year, in its currency); without, at market rates.
    """
    figure = pilot_figure(service)
    local = figure.currency
    target = prices.target.currency if prices else currency or local
    on, _ = conversion_date(figure, Options(), service)
    if prices is None:
        rates.per_pivot(local, on)  # a pilot whose own currency has no rate cannot be ranked

    def shown(amount: Range | None) -> Range | None:
        if amount is None:
            return None
        if prices is not None:
            return prices(amount, figure, service, Notes())[0]
        return rates.convert(amount, local, target, on).amount

    own = prices.at_prices_of(figure, service) if prices else None
    local_rows, skipped = _comparisons(service, figure, rates, local, own)
    if target == local and prices is None:
        rows = local_rows
    else:
        rows = _comparisons(service, figure, rates, target, prices)[0]
    derivation = derive(service.budget) if service.budget else None
    break_even = saving = occupancy = None
    if derivation is not None and local_rows:
        baseline = local_rows[0].baseline_cost
        break_even = baseline * derivation.units_per_year
        saving = break_even - derivation.total
        occupancy = _break_even_occupancy(service, derivation, baseline)
    cost = shown(figure.amount)
    assert cost is not None
    peers, unranked = _peers(service, figure, cost, guidance, rates, target, prices)
    return PilotReport(
        service=service,
        currency=target,
        unit=figure.unit.value,
        cost=cost,
        derivation=derivation,
        comparisons=rows,
        skipped=skipped,
        break_even_occupancy=occupancy,
        break_even_budget=shown(break_even),
        annual_saving=shown(saving),
        peers=peers,
        unranked=unranked,
        price_year=figure.price_year,
        basis=f"{prices.target.year} {target} ({prices.target.basis.value})" if prices else None,
    )


def _comparisons(
    service: Service,
    figure: Figure,
    rates: RateTable,
    currency: str,
    converter: Converter | None = None,
) -> tuple[tuple[Row, ...], tuple[Skipped, ...]]:
    options = Options(currency=currency, per=Per.NATIVE)
    outcomes = [
        compare_one(service, figure, b, rates, options, converter) for b in service.baselines
    ]
    rows = tuple(o for o in outcomes if isinstance(o, Row))
    return rows, tuple(o for o in outcomes if isinstance(o, Skipped))


def _break_even_occupancy(
    service: Service, derivation: Derivation, per_night: Range
) -> Range | None:
    """The occupancy at which a bed-night of the pilot costs as much as one of its baseline."""
    capacity = service.budget.capacity if service.budget else None
    if capacity is None or capacity.beds is None:
        return None
    return derivation.total / (capacity.beds * per_night).scale(DAYS_PER_YEAR)


def _peers(
    pilot: Service,
    figure: Figure,
    cost: Range,
    guidance: Dataset,
    rates: RateTable,
    target: str,
    prices: PriceConverter | None = None,
) -> tuple[tuple[Peer, ...], tuple[str, ...]]:
    """The guidance's services of the pilot's category on the pilot's basis, cheapest first."""
    basis = target_basis(figure.unit, Per.NATIVE)
    peers = [Peer(pilot, figure.id, cost, is_pilot=True)]
    unranked = []
    for service in guidance.services.values():
        if service.category is not pilot.category or service.id == pilot.id:
            continue
        for candidate in service.figures:
            if candidate.kind not in (FigureKind.COST, FigureKind.PAYMENT) or candidate.same_as:
                continue
            native = to_basis(candidate.amount, candidate.unit, basis, Notes())
            if native is None:
                unranked.append(f"{service.id}/{candidate.id} (per {candidate.unit.value})")
                continue
            if prices is not None:
                try:
                    converted = prices(native, candidate, service, Notes())[0]
                except PriceDataError as exc:
                    unranked.append(f"{service.id}/{candidate.id} ({exc})")
                    continue
            else:
                on, _ = conversion_date(candidate, Options(), service)
                try:
                    converted = rates.convert(native, candidate.currency, target, on).amount
                except RateNotFoundError as exc:
                    unranked.append(f"{service.id}/{candidate.id} (no exchange rate: {exc})")
                    continue
            peers.append(Peer(service, candidate.id, converted))
    peers.sort(key=lambda p: (p.cost.low, p.cost.high, p.service.id, p.figure_id))
    return tuple(peers), tuple(unranked)
