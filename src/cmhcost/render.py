"""Rendering of comparisons for people (a rich table) and for machines (markdown, CSV, JSON).

Machine formats carry no markup, keep a stable key and row order, print decimals as fixed-point
strings and end with a newline.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cmhcost.audit import BudgetCheck, UsdCheck
from cmhcost.compare import Comparison, Row, Skipped
from cmhcost.consoles import error_console as error_console
from cmhcost.consoles import output_console as output_console
from cmhcost.models import Figure, Provenance, RateSet, Service
from cmhcost.money import Range
from cmhcost.options import Format
from cmhcost.pilot import PilotReport

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


def fixed(value: Decimal, places: Decimal = CENT) -> str:
    """A decimal rounded half-up to fixed places, as plain text (`-0.00` shows as `0.00`)."""
    text = str(value.quantize(places, rounding=ROUND_HALF_UP))
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def grouped(value: Decimal, places: Decimal = CENT) -> str:
    """A decimal with thousands separators, for people."""
    return f"{Decimal(fixed(value, places)):,}"


def span(value: Range, show: Callable[[Decimal], str] = grouped, joiner: str = "–") -> str:
    """A range as `low–high`, or one amount when low equals high after rounding."""
    low, high = show(value.low), show(value.high)
    return low if low == high else f"{low}{joiner}{high}"


def _pair(value: Range | None, places: Decimal = CENT) -> dict[str, str] | None:
    if value is None:
        return None
    return {"low": fixed(value.low, places), "high": fixed(value.high, places)}


def _ratio(value: Range) -> str:
    return span(value, lambda d: fixed(d, CENT))


def row_record(row: Row) -> dict[str, Any]:
    """A comparison row as plain data, in the key order of the JSON contract."""
    source = row.figure.source
    return {
        "id": row.service.id,
        "name": row.service.name,
        "category": row.service.category.value,
        "country": row.service.country,
        "figure": row.figure.id,
        "unit": row.unit,
        "cost": _pair(row.cost),
        "baseline": {
            "id": row.baseline.id,
            "label": row.baseline.label,
            **(_pair(row.baseline_cost) or {}),
        },
        "ratio": _pair(row.ratio, RATIO_PLACES),
        "claimed_ratio": _pair(row.claimed_ratio, RATIO_PLACES),
        "difference": _pair(row.difference),
        "saving_pct": _pair(row.saving_pct),
        "notes": list(row.notes),
        "source": source.model_dump(mode="json") if source else None,
    }


def skipped_record(item: Skipped) -> dict[str, str]:
    """A figure not compared, as plain data."""
    return {
        "id": item.service.id,
        "name": item.service.name,
        "item": item.item,
        "label": item.label,
        "reason": item.reason,
    }


def iter_json(result: Comparison) -> Iterator[str]:
    """The JSON contract documented in the README, a row at a time (large data, small memory)."""
    options = result.options
    head = {
        "currency": options.currency,
        "per": options.per.value,
        "rates_date": options.rates_date.isoformat() if options.rates_date else None,
    }
    yield json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ',\n  "rows": ['
    yield from _json_items(row_record(row) for row in result.rows)
    yield '],\n  "not_compared": ['
    yield from _json_items(skipped_record(item) for item in result.not_compared)
    yield "]\n}\n"


def _json_items(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """List items as `json.dumps(..., indent=2)` prints them two levels down."""
    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield ("\n    " if first else ",\n    ") + text
        first = False
    if not first:
        yield "\n  "


def to_json(result: Comparison) -> str:
    """The JSON contract as one string."""
    return "".join(iter_json(result))


CSV_COLUMNS = (
    "id", "name", "category", "country", "figure", "unit", "currency", "cost_low", "cost_high",
    "baseline_id", "baseline_label", "baseline_low", "baseline_high", "ratio_low", "ratio_high",
    "claimed_ratio_low", "claimed_ratio_high", "saving_pct_low", "saving_pct_high", "notes",
)  # fmt: skip


def iter_csv(result: Comparison) -> Iterator[str]:
    """One line per comparison, a line at a time; notes joined with ' | '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in result.rows:
        record = row_record(row)
        claimed = record["claimed_ratio"] or {"low": "", "high": ""}
        writer.writerow([
            record["id"], record["name"], record["category"], record["country"], record["figure"],
            record["unit"], result.options.currency, record["cost"]["low"], record["cost"]["high"],
            row.baseline.id, row.baseline.label, record["baseline"]["low"], record["baseline"]["high"],
            record["ratio"]["low"], record["ratio"]["high"], claimed["low"], claimed["high"],
            record["saving_pct"]["low"], record["saving_pct"]["high"], " | ".join(row.notes),
        ])  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def to_csv(result: Comparison) -> str:
    """The CSV as one string."""
    return "".join(iter_csv(result))


def _footnotes(rows: tuple[Row, ...]) -> tuple[list[str], list[list[int]]]:
    """Number every distinct note once; return the notes and each row's note numbers."""
    notes: dict[str, int] = {}
    refs = [[notes.setdefault(note, len(notes) + 1) for note in row.notes] for row in rows]
    return list(notes), refs


def _title(result: Comparison) -> str:
    options = result.options
    per = "each service's own unit" if options.per.value == "native" else f"per {options.per.value}"
    when = (
        f"rates of {options.rates_date}" if options.rates_date else "each figure's conversion month"
    )
    return f"Cost against baseline, {options.currency}, {per} ({when})"


def to_markdown(result: Comparison) -> str:
    """A markdown document: the comparison table, its notes and what was not compared."""
    notes, refs = _footnotes(result.rows)
    lines = [
        f"# {_title(result)}",
        "",
        "Generated by `cmhcost compare --format markdown`; do not edit by hand.",
        "",
    ]
    lines += [
        "| Service | Country | Category | Unit | Cost | Baseline | Ratio | Saving % | Notes |",
        "| --- | --- | --- | --- | ---: | --- | ---: | ---: | --- |",
    ]
    for row, numbers in zip(result.rows, refs, strict=False):
        baseline = f"{_md(row.baseline.label)}: {span(row.baseline_cost)}"
        lines.append(
            f"| {_md(row.service.name)} | {row.service.country} | {row.service.category.value} | "
            f"{row.unit} | {span(row.cost)} | {baseline} | {_ratio(row.ratio)} | "
            f"{span(row.saving_pct, lambda d: fixed(d, Decimal('1')))} | {', '.join(map(str, numbers))} |"
        )
    lines += ["", "## Notes", ""] + [f"{i}. {_md(note)}" for i, note in enumerate(notes, 1)]
    lines += ["", "## Not compared", "", "| Service | Figure | Reason |", "| --- | --- | --- |"]
    lines += [
        f"| {_md(s.service.name)} | {_md(s.label)} | {_md(s.reason)} |" for s in result.not_compared
    ]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


BAR_WIDTH = 10
BAR_SCALE = Decimal(2)  # the bar spans ratios 0 to 2; 1.0 is the middle


def ratio_bar(ratio: Range) -> Text:
    """A bar whose length is the ratio (0 to 2 across the cell): green cheaper, red dearer."""

    def cells(value: Decimal) -> int:
        return int((min(value, BAR_SCALE) / BAR_SCALE * BAR_WIDTH).to_integral_value(ROUND_HALF_UP))

    low, high = cells(ratio.low), cells(ratio.high)
    style = "green" if ratio.high < 1 else "red" if ratio.low > 1 else "yellow"
    bar = Text("█" * low, style=style)
    bar.append("▒" * (high - low), style=style)
    bar.append("·" * (BAR_WIDTH - high), style="dim")
    return bar


FLAG = "flag: "


def _table_notes(rows: tuple[Row, ...]) -> tuple[list[str], list[list[int]]]:
    """Number the notes a reader needs beside the table; flags are only marked (see `show`)."""
    notes: dict[str, int] = {}
    refs = [
        [notes.setdefault(note, len(notes) + 1) for note in row.notes if not note.startswith(FLAG)]
        for row in rows
    ]
    return list(notes), refs


def _cell(first: str, second: str, width: int) -> Text:
    """Two lines, each cut with an ellipsis to `width` so that every row keeps two lines."""
    text = Text(_cut(first, width))
    text.append("\n" + _cut(second, width), style="dim")
    return text


def _brief(value: Decimal) -> str:
    """Whole units from 100 up, cents below: enough for a person reading a table."""
    return grouped(value, Decimal(1) if abs(value) >= 100 else CENT)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_table(result: Comparison, console: Console) -> None:
    """Print the comparison as a rich table with numbered notes beneath."""
    notes, refs = _table_notes(result.rows)
    width = max(20, min(48, console.width - 54))
    per = result.options.per.value
    basis = f"person-{per}"
    title = _title(result) + ("" if per == "native" else f"\nunit: {basis} unless shown")
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("Service / baseline", no_wrap=True, max_width=width)
    table.add_column("Cost", justify="right", no_wrap=True, min_width=11)
    table.add_column("Baseline", justify="right", no_wrap=True, min_width=11)
    table.add_column("Ratio", no_wrap=True, min_width=BAR_WIDTH)
    table.add_column("Notes", no_wrap=True)
    flagged = False
    for row, numbers in zip(result.rows, refs, strict=True):
        service = _cell(
            f"{row.service.name} ({row.service.country})", f"vs {row.baseline.label}", width
        )
        cost = Text(span(row.cost, _brief))
        if row.unit != basis:
            cost.append(f"\n/{_cut(row.unit, 11)}", style="dim")
        ratio = Text(_ratio(row.ratio) + "\n")
        ratio.append_text(ratio_bar(row.ratio))
        marks = ",".join(map(str, numbers))
        if any(note.startswith(FLAG) for note in row.notes):
            marks, flagged = marks + (" ⚑" if marks else "⚑"), True
        table.add_row(service, cost, span(row.baseline_cost, _brief), ratio, _cut(marks, 7))
    console.print(table)
    say = functools.partial(console.print, markup=False, highlight=False)
    for i, note in enumerate(notes, 1):
        say(f"{i:>3}. {note}")
    if flagged:
        say("  ⚑  the data flags this row (an inconsistency in the source): `cmhcost show ID`")
    if result.not_compared:
        reasons = Counter(_reason_kind(s.reason) for s in result.not_compared)
        summary = "; ".join(
            f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))
        )
        say(f"\nNot compared ({len(result.not_compared)} figures): {summary}. See --format json.")


def _reason_kind(reason: str) -> str:
    return (
        "restate a figure of the other document"
        if reason.startswith("restates")
        else reason.split(":")[0]
    )


RENDERERS: dict[Format, Callable[[Comparison], Iterable[str]]] = {
    Format.MARKDOWN: lambda result: [to_markdown(result)],
    Format.CSV: iter_csv,
    Format.JSON: iter_json,
}


def render_chunks(result: Comparison, fmt: Format, width: int = 100) -> Iterable[str]:
    """The comparison in `fmt` as pieces of text (the table is drawn without colour)."""
    if fmt in RENDERERS:
        return RENDERERS[fmt](result)
    buffer = io.StringIO()
    to_table(result, Console(file=buffer, width=width, no_color=True, color_system=None))
    return [buffer.getvalue()]


def render_text(result: Comparison, fmt: Format, width: int = 100) -> str:
    """The comparison in `fmt` as one string."""
    return "".join(render_chunks(result, fmt, width))


def services_table(services: list[Service]) -> Table:
    """The records, one line each."""
    table = Table(title=f"{len(services)} records", pad_edge=False)
    for name in ("id", "name", "country", "category"):
        table.add_column(name, overflow="fold")
    table.add_column("figures", justify="right")
    table.add_column("baselines", justify="right")
    for s in services:
        table.add_row(
            s.id, s.name, s.country, s.category.value, str(len(s.figures)), str(len(s.baselines))
        )
    return table


def _figure_text(figure: Figure) -> str:
    usd = f" (US$ {span(figure.usd.amount, str)} as of {figure.usd.as_of})" if figure.usd else ""
    year = f", {figure.price_year} prices" if figure.price_year else ""
    return f"{figure.currency} {span(figure.amount, str)} per {figure.unit.value}{usd}{year} [{figure.kind.value}]"


def _source_text(source: Provenance | None) -> str:
    if source is None:
        return "not given"
    first, last = source.lines
    return f'{source.document}:{first}-{last} ({source.section}): "{source.quote}"'


def show_record(service: Service, console: Console) -> None:
    """Everything recorded about one service."""
    say = functools.partial(console.print, markup=False, highlight=False)
    say(
        f"{service.name} — {service.place}, {service.country} [{service.category.value}] (id: {service.id})"
    )
    for flag in service.flags:
        say(f"  flag: {flag}")
    say("Figures:")
    for figure in service.figures:
        say(f"  {figure.id}: {figure.label}")
        say(f"    {_figure_text(figure)}")
        if figure.same_as:
            say(f"    same as {figure.same_as}")
        for flag in figure.flags:
            say(f"    flag: {flag}")
        say(f"    source: {_source_text(figure.source)}")
    say("Baselines:" if service.baselines else "Baselines: none in the guidance")
    for baseline in service.baselines:
        say(
            f"  {baseline.id}: {baseline.label} (compared with {baseline.compare or service.figures[0].id})"
        )
        if baseline.cost:
            say(f"    {_figure_text(baseline.cost)}")
            say(f"    source: {_source_text(baseline.cost.source)}")
        if baseline.relative:
            rel = baseline.relative
            say(f'    {rel.relation.value} {span(rel.value, str)}: "{rel.words}"')
            say(f"    source: {_source_text(rel.source)}")
        for flag in baseline.flags:
            say(f"    flag: {flag}")
    if service.context:
        say("Context:")
    for item in service.context:
        year = f" ({item.year})" if item.year else ""
        say(f"  {item.kind.value}: {span(item.value, str)}{year} — {item.label}")
        say(f"    source: {_source_text(item.source)}")


def rates_table(layers: Sequence[tuple[str, Sequence[RateSet]]], currencies: set[str]) -> Table:
    """Stored rates and their layers: a line per currency, or per date for the currencies asked."""
    table = Table(pad_edge=False)
    if currencies:
        for name in ("currency", "date", "rate", "base", "layer", "source"):
            table.add_column(name, overflow="fold")
        rows = [(s.date, rank, name, s) for rank, (name, sets) in enumerate(layers) for s in sets]
        for day, _, layer, rate_set in sorted(rows, key=lambda row: row[:2]):
            for code in sorted(currencies & set(rate_set.rates)):
                rate = str(rate_set.rates[code])
                table.add_row(code, str(day), rate, rate_set.base, layer, rate_set.source)
        return table
    seen: dict[str, list[tuple[str, RateSet]]] = {}
    for layer, sets in layers:
        for rate_set in sets:
            for code in rate_set.rates:
                seen.setdefault(code, []).append((layer, rate_set))
    for name in ("currency", "dates", "first", "last", "layers", "sources"):
        table.add_column(name, overflow="fold")
    for code in sorted(seen):
        dates = sorted({s.date for _, s in seen[code]})
        names = ", ".join(dict.fromkeys(layer for layer, _ in seen[code]))
        sources = "; ".join(sorted({s.source for _, s in seen[code]}))
        table.add_row(code, str(len(dates)), str(dates[0]), str(dates[-1]), names, sources)
    return table


def print_audit(
    checks: list[UsdCheck],
    budgets: list[BudgetCheck],
    flags: list[tuple[Service, str, str]],
    console: Console,
) -> None:
    """The USD checks as a table, the budget checks, then the flags recorded in the data."""
    say = functools.partial(console.print, markup=False, highlight=False)
    table = Table(
        title="USD equivalents printed in the guidance against the stored rates", pad_edge=False
    )
    for name in ("record / figure", "local", "printed US$", "recomputed US$", "off %"):
        table.add_column(
            name, overflow="fold", justify="left" if name.startswith("rec") else "right"
        )
    for c in checks:
        computed = span(c.computed) if c.computed else "no rate"
        off = fixed(c.deviation_pct, Decimal("0.1")) if c.deviation_pct is not None else "-"
        local = f"{c.figure.currency} {span(c.figure.amount)}"
        table.add_row(f"{c.service.id}/{c.figure.id}", local, span(c.printed), computed, off)
    console.print(table)
    say(f"\nUnit costs derived from budgets against the unit cost stated ({len(budgets)}):")
    for b in budgets:
        stated = b.stated
        say(
            f"- {b.service.id}: {stated.currency} {span(stated.amount)} per {stated.unit.value} stated ({stated.id})"
        )
        for step in b.derivation.steps:
            say(f"    {step}")
        if b.derived is None or b.difference_pct is None:
            say("    cannot be checked: the derived cost is in another unit or currency")
        else:
            pct = span(b.difference_pct, lambda d: fixed(d, Decimal("0.1")))
            say(
                f"    = {span(b.derived)} per {stated.unit.value}: {pct}% against the stated figure"
            )
    say(f"\nFlags recorded in the data ({len(flags)}):")
    for service, where, text in flags:
        say(f"- {service.id} ({where}): {text}")


def audit_json(
    checks: list[UsdCheck], budgets: list[BudgetCheck], flags: list[tuple[Service, str, str]]
) -> str:
    """The audit as JSON."""
    document = {
        "usd_checks": [
            {
                "id": c.service.id,
                "figure": c.figure.id,
                "currency": c.figure.currency,
                "amount": _pair(c.figure.amount),
                "as_of": c.figure.usd.as_of if c.figure.usd else None,
                "printed_usd": _pair(c.printed),
                "computed_usd": _pair(c.computed),
                "deviation_pct": fixed(c.deviation_pct) if c.deviation_pct is not None else None,
                "rate_date": c.rate_date,
            }
            for c in checks
        ],
        "budget_checks": [
            {
                "id": b.service.id,
                "stated_figure": b.stated.id,
                "currency": b.stated.currency,
                "unit": b.stated.unit.value,
                "stated": _pair(b.stated.amount),
                "derived": _pair(b.derived),
                "difference_pct": _pair(b.difference_pct),
                "arithmetic": list(b.derivation.steps),
            }
            for b in budgets
        ],
        "flags": [{"id": s.id, "where": where, "flag": text} for s, where, text in flags],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def pilot_record(report: PilotReport) -> dict[str, Any]:
    """A pilot report as plain data."""
    return {
        "id": report.service.id,
        "name": report.service.name,
        "currency": report.currency,
        "unit": report.unit,
        "cost": _pair(report.cost),
        "arithmetic": list(report.derivation.steps) if report.derivation else [],
        "baselines": [
            {
                "id": row.baseline.id,
                "label": row.baseline.label,
                "cost": _pair(row.baseline_cost),
                "ratio": _pair(row.ratio, RATIO_PLACES),
                "saving_per_unit": _pair(row.baseline_cost - row.cost),
                "saving_pct": _pair(row.saving_pct),
                "notes": list(row.notes),
            }
            for row in report.comparisons
        ],
        "not_compared": [{"id": s.item, "reason": s.reason} for s in report.skipped],
        "break_even_occupancy": _pair(report.break_even_occupancy, RATIO_PLACES),
        "break_even_budget": _pair(report.break_even_budget),
        "annual_saving": _pair(report.annual_saving),
        "rank": {
            "place": report.rank,
            "of": len(report.peers),
            "category": report.service.category.value,
        },
        "peers": [
            {
                "id": p.service.id,
                "name": p.service.name,
                "figure": p.figure_id,
                "cost": _pair(p.cost),
                "pilot": p.is_pilot,
            }
            for p in report.peers
        ],
        "unranked": list(report.unranked),
    }


def pilot_json(reports: list[PilotReport]) -> str:
    """Pilot reports as JSON."""
    return (
        json.dumps({"pilots": [pilot_record(r) for r in reports]}, indent=2, ensure_ascii=False)
        + "\n"
    )


def pilot_lines(report: PilotReport) -> list[str]:
    """A pilot report as plain lines of text (markdown-friendly)."""
    cur, service = report.currency, report.service
    lines = [
        f"## {service.name} — {service.place}, {service.country} [{service.category.value}]",
        "",
    ]
    lines.append(f"- Unit cost: {cur} {span(report.cost)} per {report.unit}")
    if report.derivation:
        lines += [f"  - {step}" for step in report.derivation.steps]
    for row in report.comparisons:
        lines.append(
            f"- Against {row.baseline.label}: {cur} {span(row.baseline_cost)} per {row.unit}; "
            f"ratio {_ratio(row.ratio)}; saving per {row.unit} {cur} {span(row.baseline_cost - row.cost)} "
            f"({span(row.saving_pct, lambda d: fixed(d, Decimal('1')))}%)"
        )
        lines += [f"  - {note}" for note in row.notes]
    lines += [f"- Not compared with {s.label}: {s.reason}" for s in report.skipped]
    if report.break_even_occupancy is not None:
        lines.append(
            f"- Break-even occupancy: {_ratio(report.break_even_occupancy)} (below it a bed-night costs more than the baseline's)"
        )
    if report.break_even_budget is not None:
        lines.append(f"- Break-even budget: {cur} {span(report.break_even_budget)} a year")
    if report.annual_saving is not None:
        lines.append(
            f"- Annual saving if each unit replaces one of the baseline: {cur} {span(report.annual_saving)}"
        )
    lines.append(
        f"- Rank among the guidance's {service.category.value} services per {report.unit} in {cur}: {report.rank} of {len(report.peers)} (cheapest first)"
    )
    for i, peer in enumerate(report.peers, 1):
        marker = " ← this pilot" if peer.is_pilot else ""
        lines.append(
            f"  {i}. {peer.service.name} ({peer.figure_id}): {cur} {span(peer.cost)}{marker}"
        )
    if report.unranked:
        lines.append(f"- Not ranked (other units): {', '.join(report.unranked)}")
    return lines


def pilot_markdown(reports: list[PilotReport]) -> str:
    """Pilot reports as a markdown document."""
    lines = ["# Pilot appraisal", ""]
    for report in reports:
        lines += [*pilot_lines(report), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def print_pilots(reports: list[PilotReport], console: Console) -> None:
    """Pilot reports for a terminal."""
    for report in reports:
        for line in pilot_lines(report):
            console.print(line.removeprefix("## "), markup=False, highlight=False)
        console.print()
