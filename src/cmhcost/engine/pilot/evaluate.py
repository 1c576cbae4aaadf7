"""Appraise one pilot record: its figures at one price year, its comparisons, outcomes and rank.

The money arithmetic is `arithmetic.appraise`, done once in the pilot's own currency at its price
year; this module gathers its inputs from the records, converts for display and ranks. Pure
functions over models, price tables and a rate table; no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.prices import Adjustment, PriceConverter, Tables
from cmhcost.conversion.units import Notes, target_unit, to_unit
from cmhcost.domain.choices import Per
from cmhcost.domain.errors import (
    RATE_REMEDIES,
    CmhcostError,
    PriceDataError,
    RateNotFoundError,
    named,
)
from cmhcost.domain.money import Range
from cmhcost.engine.claims import claims
from cmhcost.engine.compare import Row, Skipped, compare_one
from cmhcost.engine.converters import Converter, ExchangeConverter, conversion_date
from cmhcost.engine.costing import amount_text, derive, derived_figure
from cmhcost.engine.pilot.arithmetic import ONE, PilotInputs, appraise
from cmhcost.engine.pilot.price_year import PriceYear, overall_factor
from cmhcost.engine.pilot.report import Peer, PilotReport
from cmhcost.schema.dataset import Dataset
from cmhcost.schema.pilot_terms import PilotTerms
from cmhcost.schema.services import Baseline, Figure, FigureKind, Service, Unit

STAYS = (Unit.ADMISSION, Unit.EPISODE, Unit.PERSON)  # a whole stay or episode, not a period


@dataclass(frozen=True)
class PilotRequest:
    """How to appraise: the price tables, and the shown currency, basis and rates date."""

    tables: Tables | None = None  # without them, amounts stay at their own price years
    currency: str | None = None  # show amounts in this currency (default: the pilot's)
    prices: PriceConverter | None = None  # a price basis asked for
    rates_date: date | None = None  # market rates of this date, not the price year's mean


def pilot_figure(service: Service) -> Figure:
    """The figure a pilot is judged by: its budget's unit cost, else its first figure."""
    figure = derived_figure(service) or next(iter(service.figures), None)
    if figure is None:
        raise CmhcostError(f"{service.id}: a pilot needs a budget or a cost figure")
    return figure


def evaluate(
    service: Service,
    guidance: Dataset,
    rates: RateTable,
    request: PilotRequest | None = None,
) -> PilotReport:
    """Cost, comparisons, break-evens, savings, cash flow and rank of a pilot record.

    Baselines and peers are first brought to the pilot's price year (`PriceYear`); the shown
    currency or price basis, when it differs, is one factor applied to the pilot's results.
    """
    ask = request or PilotRequest()
    terms = service.pilot or PilotTerms()
    figure, stay_note = _per_day_figure(pilot_figure(service), terms)
    local = figure.currency
    target = ask.prices.target.currency if ask.prices else ask.currency or local
    own = _at_pilot_year(figure, local, rates, ask)
    local_rows, skipped = _comparisons(service, figure, terms, local, rates, own)
    display, factor = _display(figure, service, target, rates, ask)
    shown_converter: Converter = (
        ask.prices or _at_pilot_year(figure, target, rates, ask) or ExchangeConverter(rates, target)
    )
    rows = local_rows
    if target != local or ask.prices is not None:
        rows = _comparisons(service, figure, terms, target, rates, shown_converter)[0]
    derivation = derive(service.budget) if service.budget else None
    each = {
        row.baseline.id: appraise(_inputs(service, terms, row, figure, rates))
        for row in (local_rows if derivation else ())
    }
    inputs = _inputs(service, terms, local_rows[0], figure, rates) if each else None
    cost = figure.amount.scale(factor)
    peers, unranked, note = _peers(service, figure, cost, guidance, shown_converter)
    return PilotReport(
        service=service,
        currency=target,
        unit=figure.unit.value,
        cost=cost,
        derivation=derivation,
        comparisons=rows,
        skipped=skipped,
        peers=peers,
        unranked=unranked,
        substitution=terms.substitution or ONE,
        assumptions=tuple(_assumptions(terms, stay_note, ask.tables is not None and own is None)),
        price_year=figure.price_year,
        basis=_basis(ask.prices),
        local=local,
        inputs=inputs,
        outcomes=each[local_rows[0].baseline.id] if each else None,
        by_baseline=each,
        display=display,
        display_factor=factor,
        local_rows=local_rows,
        rank_note=note,
    )


def _basis(prices: PriceConverter | None) -> str | None:
    if prices is None:
        return None
    return f"{prices.target.year} {prices.target.currency} ({prices.target.basis.value})"


def _at_pilot_year(
    figure: Figure, currency: str, rates: RateTable, ask: PilotRequest
) -> PriceYear | None:
    """The converter to `currency` at the pilot's price year, when prices and a year are known."""
    if ask.tables is None or figure.price_year is None:
        return None
    return PriceYear(ask.tables, figure.price_year, currency, rates, ask.rates_date)


def _display(
    figure: Figure, service: Service, target: str, rates: RateTable, ask: PilotRequest
) -> tuple[Adjustment | None, Decimal]:
    """The adjustment from the pilot's currency and year to the shown ones, and its factor."""
    converter = ask.prices or _at_pilot_year(figure, target, rates, ask)
    if ask.prices is None and target == figure.currency:
        return None, Decimal(1)
    if converter is None:  # no price year: the market rate of the pilot's conversion month
        on, _ = conversion_date(figure, service)
        return None, rates.convert(Range.of(1), figure.currency, target, on).rate
    step = converter(Range.of(1), figure, service, Notes())[1]
    assert step is not None
    return step, overall_factor(step)


def _inputs(
    service: Service, terms: PilotTerms, row: Row, figure: Figure, rates: RateTable
) -> PilotInputs:
    """The numbers `appraise` needs, against the first baseline compared."""
    budget = service.budget
    assert budget is not None
    capacity = budget.capacity
    days = ONE
    if figure.unit is not derive(budget).unit and terms.length_of_stay is not None:
        days = terms.length_of_stay  # a stay converted to days with the length of stay
    stated, factor = baseline_factor(service, row, figure, rates)
    return PilotInputs(
        running=reduce(Range.__add__, (line.amount for line in budget.lines)),
        capital=tuple((line.amount, line.life_years) for line in budget.capital),
        discount_rate=budget.discount_rate,
        baseline=stated,
        factor=factor,
        substitution=terms.substitution or ONE,
        beds=capacity.beds if capacity.occupancy is not None else None,
        occupancy=capacity.occupancy,
        units=None if capacity.occupancy is not None else derive(budget).units_per_year,
        days_per_unit=days,
        horizon_years=terms.horizon_years,
    )


def baseline_factor(
    service: Service, row: Row, figure: Figure, rates: RateTable
) -> tuple[Range, Decimal]:
    """A baseline per unit of the pilot as stated, and the factor that took it to the pilot's
    currency and price year (index x rate; the market rate of its month without a price year)."""
    step, base = row.baseline_adjustment, row.baseline.cost
    if base is None:  # derived from a stated ratio: already in the pilot's terms
        return row.baseline_cost, Decimal(1)
    if step is not None:
        return _stated(row, figure), overall_factor(step)
    if base.currency == figure.currency:
        return _stated(row, figure), Decimal(1)
    on, _ = conversion_date(base, service)
    return _stated(row, figure), rates.convert(Range.of(1), base.currency, figure.currency, on).rate


def _stated(row: Row, figure: Figure) -> Range:
    """The baseline per unit of the pilot, in its own currency and price year."""
    baseline = row.baseline  # per day already when a length of stay converted it
    assert baseline.cost is not None
    native = to_unit(
        baseline.cost.amount, baseline.cost.unit, target_unit(figure.unit, Per.NATIVE), Notes()
    )
    assert native is not None  # the row was compared, so the units convert
    return native


def _assumptions(terms: PilotTerms, stay_note: str | None, unaligned: bool) -> Iterator[str]:
    if terms.substitution is None:
        yield (
            "substitution 1 (assumed): every unit of the pilot replaces a unit of the baseline; "
            "set `substitution` under `pilot:` to the share that does"
        )
    if stay_note:
        yield stay_note
    if unaligned:
        yield (
            "the pilot states no price year: every amount is compared at its own price year; "
            "give the budget a `price_year` to bring the baselines to it"
        )


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
    currency: str,
    rates: RateTable,
    converter: Converter | None = None,
) -> tuple[tuple[Row, ...], tuple[Skipped, ...]]:
    convert = converter or ExchangeConverter(rates, currency)
    rows: list[Row] = []
    skipped: list[Skipped] = []
    for stated in claims(service):
        baseline = _per_day_baseline(stated, figure, terms)
        outcome = compare_one(service, figure, baseline, Per.NATIVE, convert)
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


def _peers(
    pilot: Service, figure: Figure, cost: Range, guidance: Dataset, convert: Converter
) -> tuple[tuple[Peer, ...], tuple[str, ...], str | None]:
    """The guidance's services of the pilot's category per the pilot's unit, cheapest first.

    Each service counts once: its cost is the span of its figures per the pilot's unit. The note
    says why services were left out for want of a rate or an index, and what to add.
    """
    per_unit = target_unit(figure.unit, Per.NATIVE)
    replaced = {pilot.id, pilot.pilot.replaces if pilot.pilot else None}
    peers = [Peer(pilot, (figure.id,), cost, is_pilot=True)]
    unranked, wanting = [], set[str]()
    for service in guidance.services.values():
        if not service.in_category({pilot.category}) or service.id in replaced:
            continue
        costs: dict[str, Range] = {}
        steps: list[Adjustment | None] = []
        for candidate in service.figures:
            if candidate.kind not in (FigureKind.COST, FigureKind.PAYMENT) or candidate.same_as:
                continue
            native = to_unit(candidate.amount, candidate.unit, per_unit, Notes())
            if native is None:
                unranked.append(f"{service.id}/{candidate.id} (per {candidate.unit.value})")
                continue
            try:
                costs[candidate.id], step = convert(native, candidate, service, Notes())
                steps.append(step)
            except (PriceDataError, RateNotFoundError) as exc:
                unranked.append(f"{service.id}/{candidate.id} ({exc})")
                wanting.add(candidate.currency)
        if costs:
            span = Range(
                low=min(c.low for c in costs.values()), high=max(c.high for c in costs.values())
            )
            peers.append(Peer(service, tuple(costs), span, steps=tuple(steps)))
    peers.sort(key=lambda p: (p.cost.low, p.cost.high, p.service.id, p.is_pilot))
    return tuple(peers), tuple(unranked), _rank_note(pilot, figure, len(peers) > 1, wanting)


def _rank_note(pilot: Service, figure: Figure, ranked: bool, wanting: set[str]) -> str | None:
    """Why the ranking leaves services out (or cannot be made), and what would help."""
    if not wanting:
        return None
    cur = figure.currency
    day = date(figure.price_year, 7, 1) if figure.price_year else conversion_date(figure, pilot)[0]
    remedies = "; ".join(remedy(cur, day) for remedy in RATE_REMEDIES) or "add a rate"
    how = f"{remedies}; or rank on the {named('PPP basis')}"
    if not ranked:
        return f"unranked: no exchange rate between {cur} and the guidance's currencies; {how}"
    return f"ranked only among services with a rate into {cur}; {how}"
