"""The interface every output format implements: one method per report, text or bytes out.

A formatter turns the engine's typed results into pieces of output; it computes nothing that a
reader of another format would not also see (savings, reasons and flags come from the engine).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from cmhcost.domain.errors import UsageError

if TYPE_CHECKING:
    from cmhcost.conversion.exchange import Converted, RateListing
    from cmhcost.conversion.prices import Adjustment
    from cmhcost.domain.money import Range
    from cmhcost.engine.audit import Audit
    from cmhcost.engine.compare import Comparison
    from cmhcost.engine.pilot import PilotReport
    from cmhcost.schema.services import Service

Chunks = Iterable[str] | Iterable[bytes]


@dataclass(frozen=True)
class Display:
    """Where the output goes: its width in columns, whether colour is welcome, its encoding."""

    width: int = 100
    color: bool = False
    encoding: str = "utf-8"


class Formatter:
    """One output format. Each method returns the report as pieces to write in order."""

    name: ClassVar[str] = "?"

    def __init__(self, display: Display) -> None:
        self.display = display

    def _unsupported(self, report: str) -> Chunks:
        raise UsageError(f"--format {self.name} does not apply to `cmhcost {report}`")

    def compare(self, result: Comparison) -> Chunks:
        """Each service against its baseline, and what was not compared."""
        return self._unsupported("compare")

    def pilot(self, reports: Sequence[PilotReport]) -> Chunks:
        """Appraisals of pilots."""
        return self._unsupported("pilot")

    def audit(self, audit: Audit) -> Chunks:
        """USD equivalents, budgets against stated costs, and flags."""
        return self._unsupported("audit")

    def convert(self, result: Converted) -> Chunks:
        """One conversion."""
        return self._unsupported("convert")

    def adjustment(self, amount: Range, result: Adjustment) -> Chunks:
        """One amount taken to a price year and basis, step by step."""
        return self._unsupported("convert --price-year")

    def services(self, listed: Sequence[Service]) -> Chunks:
        """A list of records."""
        return self._unsupported("services")

    def show(self, record: Service) -> Chunks:
        """Everything recorded about one record."""
        return self._unsupported("show")

    def rates(self, listing: RateListing) -> Chunks:
        """The stored exchange rates."""
        return self._unsupported("rates list")
