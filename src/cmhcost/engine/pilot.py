"""A planner's pilot: its unit cost, its baseline, the break-even point, the saving and its rank.

Everything is worked out in the pilot's own currency, then converted once for display. Pure
functions over models and a rate table; no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.prices import PriceConverter
from cmhcost.conversion.units import Notes, target_unit, to_unit
from cmhcost.domain.choices import Options, Per
from cmhcost.domain.errors import (
    CmhcostError,
    DatasetError,
    PriceDataError,
    Problem,
    RateNotFoundError,
)
from cmhcost.domain.money import Range
from cmhcost.engine.claims import claims
from cmhcost.engine.compare import Converter, Row, Skipped, compare_one, conversion_date
from cmhcost.engine.costing import Derivation, amount_text, derive, derived_figure
from cmhcost.schema.dataset import Dataset
from cmhcost.schema.pilot_terms import PilotTerms, annuity_factor, discount_factor
from cmhcost.schema.services import DAYS_PER_YEAR, Baseline, Figure, FigureKind, Service, Unit

ONE = Range.of(1)
STAYS = (Unit.ADMISSION, Unit.EPISODE, Unit.PERSON)  # a whole stay or episode, not a period


@dataclass(frozen=True)
class Peer:
    """A service of the guidance costed per the pilot's unit and in its currency, for ranking."""

    service: Service
    figure_ids: tuple[str, ...]
    cost: Range
    is_pilot: bool = False


class Reach(str, Enum):
    """Whether a break-even occupancy can be reached with the beds the pilot has."""

    REACHABLE = "reachable"
    PARTLY = "reachable only at part of the range"
    UNREACHABLE = "unreachable at this budget"


@dataclass(frozen=True)
class Year:
    """One year of the multi-year view: its discount factor and discounted cost and saving."""

    year: int
    factor: Range
    cost: Range
    saving: Range


@dataclass(frozen=True)
class Horizon:
    """Cost and saving over several years, each year discounted to today."""

    years: Range
    rate: Range
    annuity: Range
    cost: Range
    saving: Range
    net_saving: Range
    by_year: tuple[Year, ...]


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
    substitution: Range = ONE
    assumptions: tuple[str, ...] = ()
    net_saving: Range | None = None  # baseline care replaced less the pilot's whole cost
    reach: Reach | None = None
    horizon: Horizon | None = None
    price_year: int | None = None  # the pilot's own price year
    basis: str | None = None  # on a price basis: "2024 I$ (ppp)", else None (market rates)

    @property
    def rank(self) -> Range:
        """The pilot's place among its peers by cost, cheapest first (1-based), as a range.

        Best: only the peers that cost less even at the pilot's low end come before it. Worst:
        every peer whose cost could fall at or below the pilot's high end comes before it.
        """
        pilot = next(p for p in self.peers if p.is_pilot)
        others = [p for p in self.peers if not p.is_pilot]
        best = 1 + sum(1 for p in others if p.cost.high < pilot.cost.low)
        worst = 1 + sum(1 for p in others if p.cost.low <= pilot.cost.high)
        return Range.of(best, worst)


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


def check_pilots(pilots: Dataset, guidance: Dataset, file: str) -> None:
    """A pilot file holds at least one pilot, and no pilot takes a guidance id unless it says so."""
    if not pilots.services:
        raise DatasetError([Problem(file, 1, "-", "services", "the file holds no pilot")])
    problems = []
    for service in pilots.services.values():
        origin = pilots.origins[service.id]
        replaces = service.pilot.replaces if service.pilot else None
        if replaces is not None and replaces not in guidance.services:
            message = f"no guidance record {replaces!r} to replace"
            problems.append(origin.problem(service.id, ["pilot", "replaces"], message))
        elif service.id in guidance.services and replaces != service.id:
            message = (
                f"{service.id!r} is the id of a guidance record; choose another id, or write "
                f"`replaces: {service.id}` under `pilot:` to stand in for it"
            )
            problems.append(origin.problem(service.id, ["id"], message))
    if problems:
        raise DatasetError(problems)


def evaluate(
    service: Service,
    guidance: Dataset,
    rates: RateTable,
    currency: str | None = None,
    prices: PriceConverter | None = None,
) -> PilotReport:
    """Cost, baseline comparisons, break-even, saving, horizon and rank of a pilot record.

    With `prices`, every amount is taken to its price year and basis (the pilot's own break-even
    at the pilot's price year, in its currency); without, at market rates.
    """
    terms = service.pilot or PilotTerms()
    figure, stay_note = _per_day_figure(pilot_figure(service), terms)
    local = figure.currency
    target = prices.target.currency if prices else currency or local
    on, _ = conversion_date(figure, Options(), service)
    if prices is None:
        rates.per_pivot(local, on)  # a pilot whose own currency has no rate cannot be ranked

    def shown(amount: Range) -> Range:
        if prices is not None:
            return prices(amount, figure, service, Notes())[0]
        return rates.convert(amount, local, target, on).amount

    own = prices.at_prices_of(figure, service) if prices else None
    local_rows, skipped = _comparisons(service, figure, terms, rates, local, own)
    rows = local_rows
    if target != local or prices is not None:
        rows = _comparisons(service, figure, terms, rates, target, prices)[0]
    derivation = derive(service.budget) if service.budget else None
    substitution = terms.substitution or ONE
    assumptions = _assumptions(terms, stay_note)
    break_even = saving = occupancy = net = horizon = None
    if derivation is not None and local_rows:
        baseline = local_rows[0].baseline_cost
        units = derivation.units_per_year
        if figure.unit is not derivation.unit:  # a stay converted to days with length_of_stay
            units = units * terms.length_of_stay  # type: ignore[operator]
        break_even = baseline * units
        saving = (break_even - derivation.total) * substitution
        net = break_even * substitution - derivation.total
        occupancy = _break_even_occupancy(service, derivation, baseline)
        if terms.horizon_years is not None and service.budget is not None:
            rate = service.budget.discount_rate
            horizon = _horizon(terms.horizon_years, rate, derivation, saving, net)
    cost = shown(figure.amount)
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
        break_even_budget=None if break_even is None else shown(break_even),
        annual_saving=None if saving is None else shown(saving),
        peers=peers,
        unranked=unranked,
        substitution=substitution,
        assumptions=assumptions,
        net_saving=None if net is None else shown(net),
        reach=_reach(occupancy),
        horizon=_shown_horizon(horizon, shown),
        price_year=figure.price_year,
        basis=f"{prices.target.year} {target} ({prices.target.basis.value})" if prices else None,
    )


def _assumptions(terms: PilotTerms, stay_note: str | None) -> tuple[str, ...]:
    notes = []
    if terms.substitution is None:
        notes.append(
            "substitution 1 (assumed): every unit of the pilot replaces a unit of the baseline; "
            "set `substitution` under `pilot:` to the share that does"
        )
    if stay_note:
        notes.append(stay_note)
    return tuple(notes)


def _per_day_figure(figure: Figure, terms: PilotTerms) -> tuple[Figure, str | None]:
    """A pilot costed per stay or episode, per day of it when a length of stay is given."""
    los = terms.length_of_stay
    if figure.unit not in STAYS or los is None:
        return figure, None
    per_day = figure.amount / los
    note = (
        f"the pilot's cost per {figure.unit.value} converted to per person-day: "
        f"÷ length_of_stay {amount_text(los)} days"
    )
    return figure.model_copy(update={"amount": per_day, "unit": Unit.PERSON_DAY}), note


def _per_day_baseline(baseline: Baseline, figure: Figure, terms: PilotTerms) -> Baseline:
    """A baseline costed per admission or episode, per day of it when a length of stay is given."""
    cost, los = baseline.cost, terms.length_of_stay
    if cost is None or los is None or cost.unit not in STAYS or figure.unit in STAYS:
        return baseline
    per_day = cost.model_copy(update={"amount": cost.amount / los, "unit": Unit.PERSON_DAY})
    return baseline.model_copy(update={"cost": per_day})


def _comparisons(
    service: Service,
    figure: Figure,
    terms: PilotTerms,
    rates: RateTable,
    currency: str,
    converter: Converter | None = None,
) -> tuple[tuple[Row, ...], tuple[Skipped, ...]]:
    options = Options(currency=currency, per=Per.NATIVE)
    rows: list[Row] = []
    skipped: list[Skipped] = []
    for stated in claims(service):
        baseline = _per_day_baseline(stated, figure, terms)
        outcome = compare_one(service, figure, baseline, rates, options, converter)
        if isinstance(outcome, Skipped):
            skipped.append(outcome)
            continue
        if baseline is not stated:
            outcome = dataclasses.replace(
                outcome, notes=(*_stay_notes(stated, outcome, terms), *outcome.notes)
            )
        rows.append(outcome)
    return tuple(rows), tuple(skipped)


def _stay_notes(stated: Baseline, row: Row, terms: PilotTerms) -> tuple[str, ...]:
    """The length-of-stay conversion of a baseline, both ways: per day, and per stay again."""
    assert stated.cost is not None and terms.length_of_stay is not None
    los, unit = terms.length_of_stay, stated.cost.unit.value
    return (
        f"baseline per {unit} converted to per {row.unit}: ÷ length_of_stay "
        f"{amount_text(los)} days",
        f"for a stay of {amount_text(los)} days the pilot costs {amount_text(row.cost * los)} "
        f"against {amount_text(row.baseline_cost * los)} per {unit}",
    )


def _break_even_occupancy(
    service: Service, derivation: Derivation, per_night: Range
) -> Range | None:
    """The occupancy at which a bed-night of the pilot costs as much as one of its baseline."""
    capacity = service.budget.capacity if service.budget else None
    if capacity is None or capacity.beds is None:
        return None
    return derivation.total / (capacity.beds * per_night).scale(DAYS_PER_YEAR)


def _reach(occupancy: Range | None) -> Reach | None:
    """Above 1 the beds would have to be more than full: no occupancy breaks even."""
    if occupancy is None:
        return None
    if occupancy.low > 1:
        return Reach.UNREACHABLE
    return Reach.PARTLY if occupancy.high > 1 else Reach.REACHABLE


def _horizon(
    years: Range, rate: Range, derivation: Derivation, saving: Range, net: Range
) -> Horizon:
    """Each year's cost (running and annualised capital) and saving, discounted to today.

    Flows fall at the end of each year (year t is worth 1 / (1 + r)^t today), the convention of
    the equivalent annual cost that spreads the capital.
    """
    by_year = []
    for year in range(1, int(years.high) + 1):
        factor = discount_factor(year, rate)
        by_year.append(Year(year, factor, derivation.total * factor, saving * factor))
    annuity = annuity_factor(years, rate)
    return Horizon(
        years=years,
        rate=rate,
        annuity=annuity,
        cost=derivation.total * annuity,
        saving=saving * annuity,
        net_saving=net * annuity,
        by_year=tuple(by_year),
    )


def _shown_horizon(horizon: Horizon | None, shown: Callable[[Range], Range]) -> Horizon | None:
    """The horizon with its amounts in the report's currency."""
    if horizon is None:
        return None
    years = tuple(
        dataclasses.replace(y, cost=shown(y.cost), saving=shown(y.saving)) for y in horizon.by_year
    )
    return dataclasses.replace(
        horizon,
        cost=shown(horizon.cost),
        saving=shown(horizon.saving),
        net_saving=shown(horizon.net_saving),
        by_year=years,
    )


def _peers(
    pilot: Service,
    figure: Figure,
    cost: Range,
    guidance: Dataset,
    rates: RateTable,
    target: str,
    prices: PriceConverter | None = None,
) -> tuple[tuple[Peer, ...], tuple[str, ...]]:
    """The guidance's services of the pilot's category per the pilot's unit, cheapest first.

    Each service counts once: its cost is the span of its figures per the pilot's unit.
    """
    per_unit = target_unit(figure.unit, Per.NATIVE)
    replaced = {pilot.id, pilot.pilot.replaces if pilot.pilot else None}
    peers = [Peer(pilot, (figure.id,), cost, is_pilot=True)]
    unranked = []
    for service in guidance.services.values():
        if not service.in_category({pilot.category}) or service.id in replaced:
            continue
        costs: dict[str, Range] = {}
        for candidate in service.figures:
            if candidate.kind not in (FigureKind.COST, FigureKind.PAYMENT) or candidate.same_as:
                continue
            native = to_unit(candidate.amount, candidate.unit, per_unit, Notes())
            if native is None:
                unranked.append(f"{service.id}/{candidate.id} (per {candidate.unit.value})")
                continue
            if prices is not None:
                try:
                    costs[candidate.id] = prices(native, candidate, service, Notes())[0]
                except PriceDataError as exc:
                    unranked.append(f"{service.id}/{candidate.id} ({exc})")
                continue
            on, _ = conversion_date(candidate, Options(), service)
            try:
                costs[candidate.id] = rates.convert(native, candidate.currency, target, on).amount
            except RateNotFoundError as exc:
                unranked.append(f"{service.id}/{candidate.id} (no exchange rate: {exc})")
        if costs:
            span = Range(
                low=min(c.low for c in costs.values()), high=max(c.high for c in costs.values())
            )
            peers.append(Peer(service, tuple(costs), span))
    peers.sort(key=lambda p: (p.cost.low, p.cost.high, p.service.id, p.is_pilot))
    return tuple(peers), tuple(unranked)
