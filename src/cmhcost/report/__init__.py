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
