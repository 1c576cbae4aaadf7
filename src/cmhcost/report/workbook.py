"""What every workbook shares: the XlsxWriter book, a sheet written a labelled row at a time, cell
formats and citations.

XlsxWriter is the optional extra `xlsx`, imported only when a workbook is written.
Numbers carry Excel number formats, not rounding.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cmhcost.domain.errors import CmhcostError
from cmhcost.report.heading import quote_text
from cmhcost.report.safe_text import for_spreadsheet
from cmhcost.schema.services import Provenance

EXTRA_HINT = "pip install '.[xlsx]' (in a checkout of cmhcost)"
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
    # Text is text: never a formula, a link or a number, whatever it starts with.
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    return xlsxwriter.Workbook(buffer, {"in_memory": True, **options})


def text(ws: Any, row: int, col: int, value: str, fmt: Any = None) -> None:
    """Write text from anywhere (data included) as a string cell without control characters."""
    ws.write_string(row, col, for_spreadsheet(value), fmt)


@dataclass
class Sheet:
    """A sheet written a labelled row at a time: label, low, high, unit, note."""

    book: Any
    name: str
    formats: dict[str, Any]
    row: int = 0
    values: dict[str, Decimal] = field(default_factory=dict)  # every cell written, by reference
    ws: Any = field(init=False)

    def __post_init__(self) -> None:
        self.ws = self.book.add_worksheet(self.name)
        self.ws.set_column(0, 0, 46)
        self.ws.set_column(1, 2, 16)
        self.ws.set_column(3, 3, 22)
        self.ws.set_column(4, 4, 90)

    def title(self, words: str) -> None:
        text(self.ws, self.row, 0, words, self.formats["title"])
        self.row += 2

    def heading(self, words: str) -> None:
        self.row += 1 if self.row else 0
        for col, value in enumerate((words, *HEAD[1:])):
            text(self.ws, self.row, col, value, self.formats["head"])
        self.row += 1

    def put(
        self, label: str, low: Any, high: Any, unit: str, note: str, kind: str = "money"
    ) -> int:
        """Write one row; return its Excel row number (1-based). Formulas start with '='."""
        fmt = self.formats[kind]
        text(self.ws, self.row, 0, label)
        for col, value in ((1, low), (2, high)):
            ref = self.ref(self.row + 1, "BC"[col - 1])
            if isinstance(value, str):
                self.values[ref] = cached = self._value(value)
                self.ws.write_formula(self.row, col, value, fmt, float(cached))
            else:
                self.values[ref] = Decimal(value)
                self.ws.write_number(self.row, col, float(value), fmt)
        text(self.ws, self.row, 3, unit)
        text(self.ws, self.row, 4, note, self.formats["note"])
        self.row += 1
        return self.row

    def _value(self, formula: str) -> Decimal:
        """The formula's result, cached in the file for readers that do not recalculate."""
        from cmhcost.report.formula_value import value_of

        return value_of(formula, self.values.__getitem__)

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
    """Where a figure was read, as a reader finds it, with the words quoted."""
    return quote_text(source)
