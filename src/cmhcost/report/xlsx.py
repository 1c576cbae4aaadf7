"""Excel workbooks: the comparison table, and the format that writes a pilot's workbook too.

Ranges are low and high columns; numbers carry Excel number formats, not rounding.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cmhcost.engine.compare import Comparison
from cmhcost.report.heading import projection_line, stamp_line
from cmhcost.report.interface import Formatter
from cmhcost.report.workbook import cell_formats, cite, text, workbook

if TYPE_CHECKING:
    from cmhcost.engine.pilot import PilotReport
    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sensitivity import Grid, OneWay
    from cmhcost.report.uncertainty_data import Section

COLUMNS = (
    ("Service", 34, None), ("Country", 8, None), ("Category", 22, None), ("Baseline", 40, None),
    ("Unit", 14, None), ("Cost low", 13, "money"), ("Cost high", 13, "money"),
    ("Baseline low", 13, "money"), ("Baseline high", 13, "money"), ("Ratio low", 10, "ratio"),
    ("Ratio high", 10, "ratio"), ("Saving % low", 12, "percent"), ("Saving % high", 12, "percent"),
    ("Notes and flags", 80, None), ("Sources", 80, None),
)  # fmt: skip


def comparison_workbook(comparison: Comparison) -> bytes:
    """The comparison table, one row per comparison, with number formats; and what was not compared."""
    buffer = io.BytesIO()
    book = workbook(buffer)
    formats = cell_formats(book)
    head = comparison.head
    ws = book.add_worksheet("Comparison")
    text(ws, 0, 0, head.title, formats["title"])
    projected = f" {projection_line(head)}." if head.projections else ""
    text(ws, 1, 0, f"{head.conversion}.{projected} {stamp_line(head.stamp)}")
    for col, (name, width, kind) in enumerate(COLUMNS):
        ws.set_column(col, col, width, formats[kind] if kind else None)
        text(ws, 2, col, name, formats["head"])
    for i, row in enumerate(comparison.rows, 3):
        s = row.service
        values: list[Any] = [
            s.name, s.country, s.category.value, row.baseline.label, row.unit,
            row.cost.low, row.cost.high, row.baseline_cost.low, row.baseline_cost.high,
            row.ratio.low, row.ratio.high, row.saving_pct.low, row.saving_pct.high,
            "\n".join([*row.notes, *(f"flag: {f}" for f in row.flags)]), "\n".join(cite(source) for source in row.sources),
        ]  # fmt: skip
        for col, value in enumerate(values):
            if isinstance(value, Decimal):
                ws.write_number(i, col, float(value), formats[COLUMNS[col][2] or "number"])
            else:
                text(ws, i, col, value)
    ws.freeze_panes(3, 1)
    ws.autofilter(2, 0, 2 + len(comparison.rows), len(COLUMNS) - 1)
    skipped = book.add_worksheet("Not compared")
    for col, (name, width) in enumerate(
        (("Service", 34), ("Figure", 50), ("Id", 24), ("Reason", 80))
    ):
        skipped.set_column(col, col, width)
        text(skipped, 0, col, name, formats["head"])
    for i, item in enumerate(comparison.not_compared, 1):
        for col, words in enumerate((item.service.name, item.label, item.item, item.message)):
            text(skipped, i, col, words)
    book.close()
    return buffer.getvalue()


class XlsxFormat(Formatter):
    """An Excel workbook: the comparison table, or a planner's pilot with live formulas."""

    name = "xlsx"

    def compare(self, result: Comparison) -> Iterator[bytes]:
        yield comparison_workbook(result)

    def pilot(self, reports: Sequence[PilotReport]) -> Iterator[bytes]:
        from cmhcost.report.pilot_xlsx import pilot_workbook

        yield pilot_workbook(reports)

    def sensitivity(self, result: OneWay, grid: Grid | None) -> Iterator[bytes]:
        from cmhcost.report.uncertainty_data import sensitivity_sections

        yield sections_workbook(sensitivity_sections(result, grid))

    def psa(self, result: Psa) -> Iterator[bytes]:
        from cmhcost.report.uncertainty_data import psa_sections

        yield sections_workbook(psa_sections(result))


SHEET_NAMES = {"One-way": "One-way", "Two-way": "Two-way", "Probabilistic": "PSA"}


def sections_workbook(sections: Sequence[Section]) -> bytes:
    """A sheet per section: its title, its sentences, its table (numbers as numbers)."""
    buffer = io.BytesIO()
    book = workbook(buffer)
    formats = cell_formats(book)
    for section in sections:
        name = next((v for k, v in SHEET_NAMES.items() if section.title.startswith(k)), None)
        ws = book.add_worksheet((name or section.title.split(":")[0])[:31])
        ws.write_string(0, 0, section.title, formats["title"])
        for i, line in enumerate(section.lines, 1):
            ws.write_string(i, 0, line)
        top = len(section.lines) + 2
        for col, head in enumerate(section.header):
            ws.set_column(col, col, 40 if col < 2 else 16)
            ws.write_string(top, col, head, formats["head"])
        for r, row in enumerate(section.rows, top + 1):
            for col, value in enumerate(row):
                number = _number(value) if col >= 1 else None
                if number is None:
                    ws.write_string(r, col, value)
                else:
                    ws.write_number(r, col, number, formats["number"])
        ws.freeze_panes(top + 1, 1)
    book.close()
    return buffer.getvalue()


def _number(text: str) -> float | None:
    """A number cell's value; None for text (which stays text, never a formula)."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


FORMAT = XlsxFormat
