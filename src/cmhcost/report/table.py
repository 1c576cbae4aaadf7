"""Tables and text for people at a terminal, drawn with rich (colour only where welcome)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cmhcost.domain.number_text import CENT, TENTH, WHOLE, fixed, grouped, span
from cmhcost.engine.compare import SkipReason
from cmhcost.report import wording
from cmhcost.report.heading import projection_line, stamp_line
from cmhcost.report.interface import Formatter
from cmhcost.report.terminal import SafeConsole
from cmhcost.report.wording import caveat_marks, caveat_texts

if TYPE_CHECKING:
    from cmhcost.conversion.exchange import Converted, RateListing
    from cmhcost.conversion.prices import Adjustment
    from cmhcost.domain.money import Range
    from cmhcost.engine.audit import Audit
    from cmhcost.engine.compare import Comparison, Row
    from cmhcost.engine.pilot import PilotReport
    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sections import Group
    from cmhcost.engine.sensitivity import Grid, OneWay
    from cmhcost.report.uncertainty_data import Section
    from cmhcost.schema.services import Service

BAR_WIDTH = 10
BAR_SCALE = Decimal(2)  # the bar spans ratios 0 to 2; 1.0 is the middle
SKIP_SUMMARY = {
    SkipReason.RESTATES: "restate a figure of the other document",
    SkipReason.NO_BASELINE: "the guidance gives no baseline for this service",
    SkipReason.NOT_A_UNIT_COST: "not a unit cost of care",
    SkipReason.NO_BASELINE_FOR_FIGURE: "no baseline is stated against this figure",
    SkipReason.UNITS_DO_NOT_CONVERT: "in units that do not convert",
    SkipReason.NO_RATE: "no exchange rate at the date",
    SkipReason.NOT_SUPPORTED: "the text does not support the comparison",
    SkipReason.BASELINES_NOT_COMPARED: "compared only with baselines that are not compared",
    SkipReason.NOT_ON_PRICE_BASIS: "not on the price basis (a missing index, PPP or rate)",
}


BAR_HALF = BAR_WIDTH // 2  # cells from 0 to parity, and from parity to BAR_SCALE
BAR_KEY = (
    f"Ratio bar: 0 to {BAR_SCALE} in steps of {BAR_SCALE / BAR_WIDTH}; │ marks parity (1.0), "
    "left of it the service costs less than its baseline; █ up to the low ratio, ▒ from the low "
    f"to the high ratio; ▸ the ratio goes past {BAR_SCALE}."
)


def ratio_bar(ratio: Range) -> Text:
    """A bar of the ratio from 0 to 2, parity marked in the middle: green cheaper, red dearer."""

    def cells(value: Decimal) -> int:
        return int((min(value, BAR_SCALE) / BAR_SCALE * BAR_WIDTH).to_integral_value(ROUND_HALF_UP))

    low, high = cells(ratio.low), cells(ratio.high)
    style = "green" if ratio.high < 1 else "red" if ratio.low > 1 else "yellow"
    marks = ["█" if i < low else "▒" if i < high else "·" for i in range(BAR_WIDTH)]
    bar = Text()
    for i, mark in enumerate(marks):
        if i == BAR_HALF:
            bar.append("│", style="bold")
        bar.append(mark, style=style if mark != "·" else "dim")
    bar.append("▸" if ratio.high > BAR_SCALE else " ", style=style)
    return bar


def amounts(value: Range) -> str:
    """A range for a table, both ends at one precision: whole units once the larger is 100."""
    places = WHOLE if max(abs(value.low), abs(value.high)) >= 100 else CENT
    return span(value, lambda d: grouped(d, places))


def _cut(words: str, width: int) -> str:
    return words if len(words) <= width else words[: width - 1] + "…"


def _cell(first: str, second: str, width: int) -> Text:
    """Two lines, each cut with an ellipsis to `width` so that every row keeps two lines."""
    cell = Text(_cut(first, width))
    cell.append("\n" + _cut(second, width), style="dim")
    return cell


def _numbered_notes(rows: Sequence[Row]) -> tuple[list[str], list[list[int]]]:
    """Number every distinct note once; return the notes and each row's note numbers."""
    notes: dict[str, int] = {}
    refs = [[notes.setdefault(note, len(notes) + 1) for note in row.notes] for row in rows]
    return list(notes), refs


class TableFormat(Formatter):
    """A rich table (or plain lines) for a terminal."""

    name = "table"

    def _drawn(self, draw: Callable[[Console, Callable[[str], None]], None]) -> Iterator[str]:
        console = SafeConsole.for_display(self.display)
        draw(console, console.say)
        yield console.text()

    def _lines(self, lines: Iterator[str]) -> Iterator[str]:
        def draw(_: Console, say: Callable[[str], None]) -> None:
            for line in lines:
                say(line)

        return self._drawn(draw)

    def compare(self, result: Comparison) -> Iterator[str]:
        return self._drawn(lambda console, say: _compare(result, console, say))

    def pilot(self, reports: Sequence[PilotReport]) -> Iterator[str]:
        return self._drawn(lambda console, say: _pilots(reports, console, say))

    def sensitivity(self, result: OneWay, grid: Grid | None) -> Iterator[str]:
        from cmhcost.report.uncertainty_data import sensitivity_sections

        sections = sensitivity_sections(result, grid)
        return self._drawn(lambda console, say: _sections(sections, console, say))

    def psa(self, result: Psa) -> Iterator[str]:
        from cmhcost.report.uncertainty_data import psa_sections

        sections = psa_sections(result)
        return self._drawn(lambda console, say: _sections(sections, console, say))

    def audit(self, audit: Audit) -> Iterator[str]:
        return self._drawn(lambda console, say: _audit(audit, console, say))

    def convert(self, result: Converted) -> Iterator[str]:
        return iter([wording.conversion_line(result) + "\n"])

    def adjustment(self, amount: Range, result: Adjustment) -> Iterator[str]:
        from cmhcost.report.adjustment import adjustment_steps

        return iter(["\n".join(adjustment_steps(amount, result)) + "\n"])

    def services(self, listed: Sequence[Service]) -> Iterator[str]:
        table = Table(title=f"{len(listed)} records", pad_edge=False)
        for name in ("id", "name", "country", "category"):
            table.add_column(name, overflow="fold")
        table.add_column("figures", justify="right")
        table.add_column("baselines", justify="right")
        for s in listed:
            table.add_row(
                s.id,
                s.name,
                s.country,
                s.category.value,
                str(len(s.figures)),
                str(len(s.baselines)),
            )
        return self._drawn(lambda console, _: console.print(table))

    def show(self, record: Service) -> Iterator[str]:
        return self._lines(wording.record_lines(record))

    def rates(self, listing: RateListing) -> Iterator[str]:
        table = Table(pad_edge=False)
        if listing.quotes:
            for name in ("currency", "date", "rate", "base", "layer", "source"):
                table.add_column(name, overflow="fold")
            for q in listing.quotes:
                table.add_row(q.currency, str(q.date), str(q.rate), q.base, q.layer, q.source)
        else:
            for name in ("currency", "dates", "first", "last", "layers", "sources"):
                table.add_column(name, overflow="fold")
            for c in listing.currencies:
                layers, sources = ", ".join(c.layers), "; ".join(c.sources)
                table.add_row(c.currency, str(c.dates), str(c.first), str(c.last), layers, sources)
        return self._drawn(lambda console, _: console.print(table))


def _compare(result: Comparison, console: Console, say: Callable[[str], None]) -> None:
    notes, refs = _numbered_notes(result.rows)
    caveats = caveat_marks(result.rows)
    flags = dict.fromkeys(flag for row in result.rows for flag in row.flags)
    flag_marks = {flag: f"F{i}" for i, flag in enumerate(flags, 1)}
    console.print(wording.title(result), justify="center", markup=False, highlight=False)
    sections: dict[Group, list[tuple[Row, str]]] = {}
    for row, numbers in zip(result.rows, refs, strict=True):
        marks = [*caveats.get(id(row), []), *map(str, numbers), *(flag_marks[f] for f in row.flags)]
        sections.setdefault(row.group, []).append((row, ", ".join(marks)))
    for group, rows in sections.items():
        console.print("\n" + group.title.capitalize(), markup=False, highlight=False, style="bold")
        console.print(_section(group, rows, console.width))
    say(BAR_KEY)
    for i, note in enumerate(notes, 1):
        say(f"{i:>3}. {note}")
    for mark, words in caveat_texts(result.rows):
        say(f"{mark:>3}. caveat: {words}")
    for flag, mark in flag_marks.items():
        say(f"{mark:>3}. flag (the data's note on the source): {flag}")
    if result.not_compared:
        reasons = Counter(SKIP_SUMMARY[s.reason] for s in result.not_compared)
        summary = "; ".join(
            f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))
        )
        say(f"\nNot compared ({len(result.not_compared)} figures): {summary}. See --format json.")
    say(f"\n{projection_line(result.head)}" if result.head.projections else "")
    say(stamp_line(result.head.stamp))


NARROW = 80  # below this many columns the marks go under each service instead of in a column


def _section(group: Group, rows: list[tuple[Row, str]], console_width: int) -> Table:
    """One section's table: rows of one unit; notes wrap rather than being cut."""
    narrow = console_width < NARROW
    figures = [(amounts(row.cost), amounts(row.baseline_cost)) for row, _ in rows]
    costs = max(len("Cost"), *(len(c) for c, _ in figures))
    baselines = max(len("Baseline"), *(len(b) for _, b in figures))
    fixed_width = costs + baselines + BAR_WIDTH + 2 + (10 if narrow else 28)
    width = max(10, min(48, console_width - fixed_width))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Service / baseline", overflow="fold", width=width)
    ratios = max(BAR_WIDTH + 2, *(len(wording.ratio(row.ratio)) for row, _ in rows))
    # Widths known from the text itself: rich need not measure every cell of these columns.
    table.add_column("Cost", justify="right", no_wrap=True, width=costs)
    table.add_column("Baseline", justify="right", no_wrap=True, width=baselines)
    table.add_column("Ratio", no_wrap=True, width=ratios)
    if not narrow:
        table.add_column("Notes", overflow="fold", min_width=6)
    for (row, marks), (cost, baseline) in zip(rows, figures, strict=True):
        service = _cell(
            f"{row.service.name} ({row.service.country}, {wording.price_years(row)})",
            f"vs {row.baseline.label}",
            width,
        )
        if narrow and marks:
            service.append(f"\nnotes: {marks}", style="dim")
        ratio = Text(wording.ratio(row.ratio) + "\n")
        ratio.append_text(ratio_bar(row.ratio))
        cells: list[Text | str] = [service, cost, baseline, ratio]
        table.add_row(*cells, *([] if narrow else [marks]))
    return table


def _audit(audit: Audit, console: Console, say: Callable[[str], None]) -> None:
    table = Table(
        title="USD equivalents printed in the guidance against the stored rates", pad_edge=False
    )
    for name in ("record / figure", "local", "printed US$", "recomputed US$", "off %"):
        table.add_column(
            name, overflow="fold", justify="left" if name.startswith("rec") else "right"
        )
    for c in audit.usd_checks:
        computed = span(c.computed) if c.computed else "no rate"
        off = fixed(c.deviation_pct, TENTH) if c.deviation_pct is not None else "-"
        local = f"{c.figure.currency} {span(c.figure.amount)}"
        table.add_row(f"{c.service.id}/{c.figure.id}", local, span(c.printed), computed, off)
    console.print(table)
    budgets = audit.budget_checks
    say(f"\nUnit costs derived from budgets against the unit cost stated ({len(budgets)}):")
    for b in budgets:
        stated = b.stated
        unit = stated.unit.value
        say(
            f"- {b.service.id}: {stated.currency} {span(stated.amount)} per {unit} stated ({stated.id})"
        )
        for step in b.derivation.steps:
            say(f"    {step}")
        if b.derived is None or b.difference_pct is None:
            say("    cannot be checked: the derived cost is in another unit or currency")
        else:
            pct = span(b.difference_pct, lambda d: fixed(d, TENTH))
            say(f"    = {span(b.derived)} per {unit}: {pct}% against the stated figure")
    say(f"\nFlags recorded in the data ({len(audit.flags)}):")
    for flag in audit.flags:
        say(f"- {flag.service.id} ({flag.where}): {flag.text}")


def _sections(sections: Sequence[Section], console: Console, say: Callable[[str], None]) -> None:
    """Each section: its title, its sentences, and its table (numbers right-aligned)."""
    from cmhcost.report.uncertainty_data import alignment

    for section in sections:
        say(section.title)
        for line in section.lines:
            say(line)
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
        for i, (name, align) in enumerate(zip(section.header, alignment(section), strict=True)):
            cells = [row[i] for row in section.rows]
            if align == "r":  # numbers keep their width
                table.add_column(name, justify="right", min_width=max(map(len, cells)))
            else:
                table.add_column(name, overflow="fold", min_width=10)
        for row in section.rows:
            table.add_row(*(Text(c) for c in row))
        console.print(table)


FORMAT = TableFormat


def _grid(
    title: str, header: Sequence[str], rows: Sequence[Sequence[str]], right: int = 1
) -> Table:
    """A rich table: the first `right` columns left-aligned, the rest right-aligned."""
    grid = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for i, name in enumerate(header):
        grid.add_column(name, justify="left" if i < right else "right", overflow="fold")
    for row in rows:
        grid.add_row(*row)
    return grid


def _pilots(reports: Sequence[PilotReport], console: Console, say: Callable[[str], None]) -> None:
    from cmhcost.report import pilot_wording as words

    if len(reports) > 1:
        rows, note = words.scenario_rows(reports)
        console.print(_grid("Pilots side by side", words.SCENARIO_HEADER, rows))
        if note:
            say(note)
    for report in reports:
        say(words.heading(report))
        console.print(_grid("Decisive numbers", ("", "Value"), words.decisive(report), 2))
        if report.cash_flow is not None:
            flow = report.cash_flow
            console.print(
                _grid(f"Cash flow ({report.currency})", words.CASH_HEADER, words.cash_rows(flow))
            )
            say(words.cash_note(flow))
        for line in words.detail_lines(report):
            say(line)
        say("")
