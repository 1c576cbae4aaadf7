"""Reports as plain lines of text, shared by the table (terminal) and markdown formats."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from cmhcost.numbers import WHOLE, fixed, plain, span

if TYPE_CHECKING:
    from cmhcost.compare import Comparison
    from cmhcost.currency import Converted
    from cmhcost.models import Figure, Provenance, Service
    from cmhcost.money import Range
    from cmhcost.pilot import PilotReport


def ratio(value: Range) -> str:
    """A ratio for people: two places."""
    return span(value, fixed)


def percent(value: Range) -> str:
    """A percentage for people: whole numbers."""
    return span(value, lambda d: fixed(d, WHOLE))


def title(result: Comparison) -> str:
    """What a comparison shows: currency, period and conversion dates."""
    options = result.options
    per = "each service's own unit" if options.per.value == "native" else f"per {options.per.value}"
    if options.basis is not None:
        ppp = options.basis.value == "ppp"
        money = "international dollars" if ppp and options.currency == "USD" else options.currency
        how = "PPP" if ppp else f"market rates of {options.price_year}"
        return f"Cost against baseline, {options.price_year} {money} ({how}), {per}"
    when = (
        f"rates of {options.rates_date}" if options.rates_date else "each figure's conversion month"
    )
    return f"Cost against baseline, {options.currency}, {per} ({when})"


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
    for row in report.comparisons:
        yield (
            f"- Against {row.baseline.label}: {cur} {span(row.baseline_cost)} per {row.unit}; "
            f"ratio {ratio(row.ratio)}; saving per {row.unit} {cur} {span(row.saving)} "
            f"({percent(row.saving_pct)}%)"
        )
        yield from (f"  - {note}" for note in row.notes)
        yield from (f"  - flag: {flag}" for flag in row.flags)
    yield from (f"- Not compared with {s.label}: {s.message}" for s in report.skipped)
    if report.break_even_occupancy is not None:
        yield (
            f"- Break-even occupancy: {ratio(report.break_even_occupancy)} "
            "(below it a bed-night costs more than the baseline's)"
        )
    if report.break_even_budget is not None:
        yield f"- Break-even budget: {cur} {span(report.break_even_budget)} a year"
    if report.annual_saving is not None:
        yield (
            "- Annual saving if each unit replaces one of the baseline: "
            f"{cur} {span(report.annual_saving)}"
        )
    yield (
        f"- Rank among the guidance's {service.category.value} services per {report.unit} in "
        f"{cur}: {report.rank} of {len(report.peers)} (cheapest first)"
    )
    for i, peer in enumerate(report.peers, 1):
        marker = " ← this pilot" if peer.is_pilot else ""
        yield f"  {i}. {peer.service.name} ({peer.figure_id}): {cur} {span(peer.cost)}{marker}"
    if report.unranked:
        yield f"- Not ranked (other units): {', '.join(report.unranked)}"


def conversion_line(result: Converted) -> str:
    """One conversion as a sentence."""
    conversion = result.conversion
    used = (
        f"rate {conversion.rate:.6g}, {conversion.rate_date}, {conversion.source}"
        if conversion.quotes
        else "same currency"
    )
    return (
        f"{span(result.amount, plain)} {result.currency} = {span(conversion.amount)} "
        f"{conversion.currency} ({used})"
    )


def figure_text(figure: Figure) -> str:
    """A figure as the text states it."""
    usd = f" (US$ {span(figure.usd.amount, plain)} as of {figure.usd.as_of})" if figure.usd else ""
    year = f", {figure.price_year} prices" if figure.price_year else ""
    return (
        f"{figure.currency} {span(figure.amount, plain)} per {figure.unit.value}{usd}{year} "
        f"[{figure.kind.value}]"
    )


def source_text(source: Provenance | None) -> str:
    """Where a figure was read."""
    if source is None:
        return "not given"
    first, last = source.lines
    return f'{source.document}:{first}-{last} ({source.section}): "{source.quote}"'


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
