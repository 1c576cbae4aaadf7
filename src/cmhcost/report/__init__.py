"""Reports out: one module per output format behind one interface (`report.interface.Formatter`),
the words and numbers they share, and where a report goes (`delivery`, `atomic`).

To add a format, write `report/NAME.py` with a `Formatter` subclass assigned to `FORMAT`, and add
`NAME = "NAME"` to `OutputFormat`; every report-printing command then offers `--format NAME`. A
format that has nothing to say about a report leaves that method alone (it refuses with exit 2).
This module imports only the standard library: the CLI reads the enum at start-up, and the chosen
format's module (with rich, or not) loads only when a report is printed.
"""

from __future__ import annotations

import importlib
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmhcost.report.interface import Display, Formatter


class Report(str, Enum):
    """The reports cmhcost prints; each is a method of `report.interface.Formatter`."""

    COMPARE = "compare"
    PILOT = "pilot"
    AUDIT = "audit"
    CONVERT = "convert"
    ADJUSTMENT = "adjustment"
    SERVICES = "services"
    SHOW = "show"
    RATES = "rates"


class OutputFormat(str, Enum):
    """The formats of every report; each value names the module under `cmhcost.report`."""

    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"
    HTML = "html"
    XLSX = "xlsx"

    def formatter(self, display: Display) -> Formatter:
        """The formatter of this format (its module is imported now, not at start-up)."""
        module = importlib.import_module(f"{__name__}.{self.value}")
        return module.FORMAT(display)  # type: ignore[no-any-return]

    def serves(self, report: Report) -> bool:
        """Whether this format has something to say about `report`."""
        return report in SERVES[self]


# Which reports each format serves, declared here so that the command line can offer only the
# formats of a command without importing them; tests/report/test_formats.py holds each format
# module to what it declares.
SERVES: dict[OutputFormat, frozenset[Report]] = {
    OutputFormat.TABLE: frozenset(Report),
    OutputFormat.MARKDOWN: frozenset(Report),
    OutputFormat.CSV: frozenset(Report),
    OutputFormat.JSON: frozenset(Report),
    OutputFormat.HTML: frozenset({Report.COMPARE, Report.PILOT}),
    OutputFormat.XLSX: frozenset({Report.COMPARE, Report.PILOT}),
}


def formats_for(*reports: Report) -> tuple[OutputFormat, ...]:
    """The formats that serve every one of `reports`, in the enum's order."""
    return tuple(f for f in OutputFormat if all(f.serves(r) for r in reports))
