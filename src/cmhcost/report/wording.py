"""Reports as plain lines of text, shared by the table (terminal) and markdown formats."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from cmhcost.domain.number_text import TENTH, WHOLE, fixed, plain, rate, span
from cmhcost.report.heading import quote_text

if TYPE_CHECKING:
    from cmhcost.conversion.exchange import Converted
    from cmhcost.domain.money import Range
    from cmhcost.engine.compare import Comparison, Row
    from cmhcost.engine.pilot import PilotReport
    from cmhcost.schema.services import Figure, Provenance, Service


def ratio(value: Range) -> str:
    """A ratio for people: two places."""
    return span(value, fixed)


def percent(value: Range) -> str:
    """A percentage for people: whole numbers."""
    return span(value, lambda d: fixed(d, WHOLE))


def title(result: Comparison) -> str:
    """What a comparison shows: the money, the period and how amounts were converted."""
    return result.head.title


def caveat_texts(rows: Sequence[Row]) -> list[tuple[str, str]]:
    """Each distinct caveat once, marked C1, C2 ..."""
    texts = dict.fromkeys(c for row in rows for c in row.caveats)
    return [(f"C{i}", words) for i, words in enumerate(texts, 1)]


def caveat_marks(rows: Sequence[Row]) -> dict[int, list[str]]:
    """The caveat marks of each row that has any, keyed by the row's identity."""
    marks = {words: mark for mark, words in caveat_texts(rows)}
    return {id(row): [marks[c] for c in row.caveats] for row in rows if row.caveats}


def pilot_lines(report: PilotReport) -> Iterator[str]:
    """A pilot's appraisal; the first line is its heading."""
    cur, service = report.currency, report.service
    yield f"{service.name} — {service.place}, {service.country} [{service.category.value}]"
    yield ""
    yield f"- Unit cost: {cur} {span(report.cost)} per {report.unit}" + (
        f" (price year {report.price_year}; on the basis {report.basis})"
        if report.basis
        else f" (price year {report.price_year})"
        if report.price_year
        else ""
    )
    if report.derivation:
        yield from (f"  - {step}" for step in report.derivation.steps)
    yield from (f"- Assumption: {note}" for note in report.assumptions)
    for row in report.comparisons:
        yield (
            f"- Against {row.baseline.label}: {cur} {span(row.baseline_cost)} per {row.unit}; "
            f"ratio {ratio(row.ratio)}; saving per {row.unit} {cur} {span(row.saving)} "
            f"({percent(row.saving_pct)}%)"
        )
        yield from (f"  - {note}" for note in row.notes)
        yield from (f"  - caveat: {caveat}" for caveat in row.caveats)
        yield from (f"  - flag: {flag}" for flag in row.flags)
    yield from (f"- Not compared with {s.label}: {s.message}" for s in report.skipped)
    yield from _pilot_money_lines(report)
    yield (
        f"- Rank among the guidance's {service.category.value} services per {report.unit} in "
        f"{cur}: {span(report.rank, lambda d: fixed(d, WHOLE))} of {len(report.peers)} "
        "(cheapest first; a range when costs overlap)"
    )
    for i, peer in enumerate(report.peers, 1):
        marker = " ← this pilot" if peer.is_pilot else ""
        figures = ", ".join(peer.figure_ids)
        yield f"  {i}. {peer.service.name} ({figures}): {cur} {span(peer.cost)}{marker}"
    if report.unranked:
        yield f"- Not ranked (other units): {', '.join(report.unranked)}"


def _pilot_money_lines(report: PilotReport) -> Iterator[str]:
    """Break-even, the annual saving and the multi-year view."""
    from cmhcost.engine.pilot import Reach

    cur = report.currency
    if report.break_even_occupancy is not None:
        occupancy = ratio(report.break_even_occupancy)
        if report.reach is Reach.UNREACHABLE:
            yield (
                f"- Break-even occupancy: {occupancy}: unreachable at this budget (a bed-night "
                "costs more than the baseline's even with every bed full)"
            )
        else:
            extra = f"; {report.reach.value}" if report.reach is Reach.PARTLY else ""
            yield (
                f"- Break-even occupancy: {occupancy} (below it a bed-night costs more than the "
                f"baseline's{extra})"
            )
    if report.break_even_budget is not None:
        yield f"- Break-even budget: {cur} {span(report.break_even_budget)} a year"
    if report.annual_saving is not None:
        yield (
            "- Annual saving on the units that replace the baseline (substitution "
            f"{ratio(report.substitution)}): {cur} {span(report.annual_saving)}"
        )
    if report.net_saving is not None:
        yield (
            "- Net annual saving (the baseline care replaced, less the pilot's whole cost): "
            f"{cur} {span(report.net_saving)}"
        )
    horizon = report.horizon
    if horizon is not None:
        years = span(horizon.years, lambda d: fixed(d, WHOLE))
        rate = span(horizon.rate.scale(Decimal(100)), lambda d: fixed(d, TENTH))
        yield (
            f"- Over {years} years at {rate}% (each year discounted by 1 / (1 + r)^t, "
            f"annuity factor {ratio(horizon.annuity)}): cost {cur} {span(horizon.cost)}; "
            f"saving {cur} {span(horizon.saving)}; net saving {cur} {span(horizon.net_saving)}"
        )
        for y in horizon.by_year:
            longer = " (longer horizon only)" if y.year > horizon.years.low else ""
            yield (
                f"  - year {y.year}: factor {ratio(y.factor)}; cost {cur} {span(y.cost)}; "
                f"saving {cur} {span(y.saving)}{longer}"
            )


def conversion_line(result: Converted) -> str:
    """One conversion as a sentence."""
    conversion = result.conversion
    used = (
        f"rate {rate(conversion.rate)}, {conversion.rate_date}, {conversion.source}"
        if conversion.quotes
        else "same currency"
    )
    return (
        f"{span(result.amount, plain)} {result.currency} = {span(conversion.amount)} "
        f"{conversion.currency} ({used})"
    )


def price_years(row: Row) -> str:
    """The price year of a row's figure, and its baseline's when it differs (`2019/2021`)."""
    own = row.figure.price_year
    base = row.baseline.cost.price_year if row.baseline.cost else own
    if own is None:
        return "?"
    return str(own) if base in (None, own) else f"{own}/{base}"


def figure_text(figure: Figure) -> str:
    """A figure as the text states it."""
    usd = f" (US$ {span(figure.usd.amount, plain)} as of {figure.usd.as_of})" if figure.usd else ""
    year = f", {figure.price_year} prices" if figure.price_year else ""
    basis = figure.price_year_basis
    if year and basis is not None and basis.value != "stated":
        year += f" ({basis.value}: {figure.price_year_note})"
    return (
        f"{figure.currency} {span(figure.amount, plain)} per {figure.unit.value}{usd}{year} "
        f"[{figure.kind.value}]"
    )


def source_text(source: Provenance | None) -> str:
    """Where a figure was read, as a reader finds it, with the words quoted."""
    return quote_text(source)


def record_lines(service: Service) -> Iterator[str]:
    """Everything recorded about one service; the first line is its heading."""
    yield (
        f"{service.name} — {service.place}, {service.country} [{service.category.value}] "
        f"(id: {service.id})"
    )
    yield from (f"  flag: {flag}" for flag in service.flags)
    yield "Figures:"
    for figure in service.figures:
        yield f"  {figure.id}: {figure.label}"
        yield f"    {figure_text(figure)}"
        if figure.same_as:
            yield f"    same as {figure.same_as}"
        yield from (f"    flag: {flag}" for flag in figure.flags)
        yield f"    source: {source_text(figure.source)}"
    yield "Baselines:" if service.baselines else "Baselines: none in the guidance"
    for baseline in service.baselines:
        compared = baseline.compare or service.figures[0].id
        yield f"  {baseline.id}: {baseline.label} (compared with {compared})"
        if baseline.cost:
            yield f"    {figure_text(baseline.cost)}"
            yield f"    source: {source_text(baseline.cost.source)}"
        if baseline.relative:
            rel = baseline.relative
            yield f'    {rel.relation.value} {span(rel.value, plain)}: "{rel.words}"'
            yield f"    source: {source_text(rel.source)}"
        yield from (f"    flag: {flag}" for flag in baseline.flags)
    if service.context:
        yield "Context:"
    for item in service.context:
        year = f" ({item.year})" if item.year else ""
        yield f"  {item.kind.value}: {span(item.value, plain)}{year} — {item.label}"
        yield f"    source: {source_text(item.source)}"
