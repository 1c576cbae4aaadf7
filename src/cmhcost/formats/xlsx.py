"""Excel workbooks: the comparison table, and the sheets and formats that workbooks share.

Written with XlsxWriter (the optional extra `cmhcost[xlsx]`), imported only when a workbook is
written. Ranges are low and high columns; numbers carry Excel number formats, not rounding.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cmhcost.compare import Comparison
from cmhcost.errors import CmhcostError
from cmhcost.formats.interface import Formatter
from cmhcost.models import Provenance

if TYPE_CHECKING:
    from cmhcost.pilot import PilotReport

EXTRA_HINT = "pip install 'cmhcost[xlsx]'"
MONEY, RATIO, PERCENT, NUMBER = "#,##0.00", "0.0000", "0.00", "#,##0.####"
HEAD = ("", "low", "high", "unit", "source or formula")


class MissingXlsxError(CmhcostError):
    """XlsxWriter, which workbooks need, is not installed."""


def workbook(buffer: io.BytesIO) -> Any:
    try:
        import xlsxwriter  # type: ignore[import-untyped]
    except ImportError:
        raise MissingXlsxError(
            f"writing a workbook needs XlsxWriter, which is not installed: {EXTRA_HINT}"
        ) from None
    return xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})


@dataclass
class Sheet:
    """A sheet written a labelled row at a time: label, low, high, unit, note."""

    book: Any
    name: str
    formats: dict[str, Any]
    row: int = 0
    ws: Any = field(init=False)

    def __post_init__(self) -> None:
        self.ws = self.book.add_worksheet(self.name)
        self.ws.set_column(0, 0, 46)
        self.ws.set_column(1, 2, 16)
        self.ws.set_column(3, 3, 22)
        self.ws.set_column(4, 4, 90)

    def title(self, text: str) -> None:
        self.ws.write(self.row, 0, text, self.formats["title"])
        self.row += 2

    def heading(self, text: str) -> None:
        self.row += 1 if self.row else 0
        self.ws.write_row(self.row, 0, (text, *HEAD[1:]), self.formats["head"])
        self.row += 1

    def put(
        self, label: str, low: Any, high: Any, unit: str, note: str, kind: str = "money"
    ) -> int:
        """Write one row; return its Excel row number (1-based). Formulas start with '='."""
        fmt = self.formats[kind]
        self.ws.write(self.row, 0, label)
        for col, value in ((1, low), (2, high)):
            if isinstance(value, str):
                self.ws.write_formula(self.row, col, value, fmt)
            else:
                self.ws.write_number(self.row, col, float(value), fmt)
        self.ws.write(self.row, 3, unit)
        self.ws.write(self.row, 4, note, self.formats["note"])
        self.row += 1
        return self.row

    def constant(self, label: str, value: Decimal | int, unit: str, note: str) -> int:
        """A single number (a rate, days in a unit): the same in the low and high columns."""
        return self.put(label, value, value, unit, note, "number")

    def ref(self, row: int, col: str) -> str:
        """An absolute reference to a cell of this sheet, for formulas on any sheet."""
        return f"'{self.name}'!${col}${row}"


def cell_formats(book: Any) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "head": book.add_format({"bold": True, "bg_color": "#E8E8E8", "bottom": 1}),
        "note": book.add_format({"font_color": "#555555"}),
        "money": book.add_format({"num_format": MONEY}),
        "ratio": book.add_format({"num_format": RATIO}),
        "percent": book.add_format({"num_format": PERCENT}),
        "number": book.add_format({"num_format": NUMBER}),
        "bold": book.add_format({"bold": True}),
    }


def cite(source: Provenance | None) -> str:
    if source is None:
        return "no source given"
    first, last = source.lines
    return f'{source.document}, {source.section}, lines {first}-{last}: "{source.quote}"'


COLUMNS = (
    ("Service", 34, None), ("Country", 8, None), ("Category", 22, None), ("Baseline", 40, None),
    ("Unit", 14, None), ("Cost low", 13, "money"), ("Cost high", 13, "money"),
    ("Baseline low", 13, "money"), ("Baseline high", 13, "money"), ("Ratio low", 10, "ratio"),
    ("Ratio high", 10, "ratio"), ("Saving % low", 12, "percent"), ("Saving % high", 12, "percent"),
    ("Notes and flags", 80, None), ("Source", 80, None),
)  # fmt: skip


def comparison_workbook(comparison: Comparison) -> bytes:
    """The comparison table, one row per comparison, with number formats; and what was not compared."""
    buffer = io.BytesIO()
    book = workbook(buffer)
    formats = cell_formats(book)
    options = comparison.options
    ws = book.add_worksheet("Comparison")
    ws.write(
        0, 0, f"Cost against baseline, {options.currency} per {options.per.value}", formats["title"]
    )
    for col, (name, width, kind) in enumerate(COLUMNS):
        ws.set_column(col, col, width, formats[kind] if kind else None)
        ws.write(2, col, name, formats["head"])
    for i, row in enumerate(comparison.rows, 3):
        s = row.service
        values: list[Any] = [
            s.name, s.country, s.category.value, row.baseline.label, row.unit,
            row.cost.low, row.cost.high, row.baseline_cost.low, row.baseline_cost.high,
            row.ratio.low, row.ratio.high, row.saving_pct.low, row.saving_pct.high,
            "\n".join([*row.notes, *(f"flag: {f}" for f in row.flags)]), cite(row.figure.source),
        ]  # fmt: skip
        for col, value in enumerate(values):
            if isinstance(value, Decimal):
                ws.write_number(i, col, float(value), formats[COLUMNS[col][2] or "number"])
            else:
                ws.write_string(i, col, value)
    ws.freeze_panes(3, 1)
    ws.autofilter(2, 0, 2 + len(comparison.rows), len(COLUMNS) - 1)
    skipped = book.add_worksheet("Not compared")
    for col, (name, width) in enumerate(
        (("Service", 34), ("Figure", 50), ("Id", 24), ("Reason", 80))
    ):
        skipped.set_column(col, col, width)
        skipped.write(0, col, name, formats["head"])
    for i, item in enumerate(comparison.not_compared, 1):
        skipped.write_row(i, 0, (item.service.name, item.label, item.item, item.message))
    book.close()
    return buffer.getvalue()


class XlsxFormat(Formatter):
    """An Excel workbook: the comparison table, or a planner's pilot with live formulas."""

    name = "xlsx"

    def compare(self, result: Comparison) -> Iterator[bytes]:
        yield comparison_workbook(result)

    def pilot(self, reports: Sequence[PilotReport]) -> Iterator[bytes]:
        from cmhcost.formats.pilot_xlsx import pilot_workbook  # its module imports this one

        yield pilot_workbook(reports)


FORMAT = XlsxFormat
