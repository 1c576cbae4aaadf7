"""Reports as plain lines of text, shared by the table (terminal) and markdown formats."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from cmhcost.domain.number_text import WHOLE, fixed, plain, rate, span
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
    """A pilot's appraisal as plain lines; the first line is its heading."""
    from cmhcost.report import pilot_wording as words

    yield words.heading(report)
    yield ""
    yield from (f"- {label}: {value}" for label, value in words.decisive(report))
    flow = report.cash_flow
    if flow is not None:
        yield f"Cash flow ({report.currency}):"
        yield "  " + " | ".join(words.CASH_HEADER)
        yield from ("  " + " | ".join(cells) for cells in words.cash_rows(flow))
        yield "  " + words.cash_note(flow)
    yield from words.detail_lines(report)


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
