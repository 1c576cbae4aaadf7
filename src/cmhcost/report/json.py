"""JSON: one writer for every report.

Exactly what `json.dumps(document, indent=2, ensure_ascii=False)` prints, plus a newline, written
a list item at a time where the report gives an iterator (large comparisons, small memory). Keys
keep the order the records give them (`formats.records`); amounts are fixed-point strings. orjson
writes it: the standard library's encoder indents in Python, about 13 times slower on a comparison
of 10 000 services.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import orjson

from cmhcost.report import structured
from cmhcost.report.heading import heading_record, stamp_record
from cmhcost.report.interface import Formatter

if TYPE_CHECKING:
    from cmhcost.conversion.exchange import Converted, RateListing
    from cmhcost.conversion.prices import Adjustment
    from cmhcost.domain.money import Range
    from cmhcost.engine.audit import Audit
    from cmhcost.engine.compare import Comparison
    from cmhcost.engine.pilot import PilotReport
    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sensitivity import Grid, OneWay
    from cmhcost.schema.services import Service


def write(document: Any) -> Iterator[str]:
    """The document as JSON text, in pieces; iterators inside it become streamed lists."""
    yield from _pieces(document, 0)
    yield "\n"


def _pieces(value: Any, depth: int) -> Iterator[str]:
    inner, outer = "\n" + "  " * (depth + 1), "\n" + "  " * depth
    if isinstance(value, dict) and any(_streamed(v) for v in value.values()):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield f"{',' if i else ''}{inner}{_dumps(key)}: "
            yield from _pieces(item, depth + 1)
        yield outer + "}"
    elif isinstance(value, Iterator):
        empty = True
        for item in value:
            yield ("[" if empty else ",") + inner
            yield from _pieces(item, depth + 1)
            empty = False
        yield "[]" if empty else outer + "]"
    else:
        yield _dumps(value).replace("\n", outer)


_PLAIN = (str, int, float, list, tuple, dict, type(None))  # bool is an int


def _streamed(value: Any) -> bool:
    # The exact types first: the Iterator check (an ABC) is slow on every key of every row.
    return not isinstance(value, _PLAIN) and isinstance(value, Iterator)


def _dumps(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, at C speed."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()


class JsonFormat(Formatter):
    """JSON for programs: stable key order, decimal strings, UTF-8 as is."""

    name = "json"

    def compare(self, result: Comparison) -> Iterator[str]:
        return write(
            {
                **heading_record(result.head),
                "rows": (structured.row_record(row) for row in result.rows),
                "not_compared": (structured.skipped_record(item) for item in result.not_compared),
            }
        )

    def pilot(self, reports: Sequence[PilotReport]) -> Iterator[str]:
        from cmhcost.report.pilot_records import pilot_record, scenarios_record

        document: dict[str, Any] = {"pilots": [pilot_record(r) for r in reports]}
        if len(reports) > 1:
            document["scenarios"] = scenarios_record(reports)
        return write(document)

    def audit(self, audit: Audit) -> Iterator[str]:
        return write(
            {
                "usd_checks": [structured.usd_record(c) for c in audit.usd_checks],
                "budget_checks": [structured.budget_record(b) for b in audit.budget_checks],
                "flags": [structured.flag_record(f) for f in audit.flags],
                "stamp": stamp_record(audit.stamp),
            }
        )

    def convert(self, result: Converted) -> Iterator[str]:
        return write(structured.conversion_record(result))

    def adjustment(self, amount: Range, result: Adjustment) -> Iterator[str]:
        from cmhcost.report.adjustment import adjustment_record

        return write(adjustment_record(amount, result))

    def services(self, listed: Sequence[Service]) -> Iterator[str]:
        return write(structured.service_record(s) for s in listed)

    def show(self, record: Service) -> Iterator[str]:
        return write(structured.service_record(record))

    def rates(self, listing: RateListing) -> Iterator[str]:
        return write(
            {
                "currencies": [structured.currency_record(c) for c in listing.currencies],
                "quotes": [structured.quote_record(q) for q in listing.quotes],
            }
        )

    def sensitivity(self, result: OneWay, grid: Grid | None) -> Iterator[str]:
        from cmhcost.report.uncertainty_data import sensitivity_record

        return write(sensitivity_record(result, grid))

    def psa(self, result: Psa) -> Iterator[str]:
        from cmhcost.report.uncertainty_data import psa_record

        return write(psa_record(result))


FORMAT = JsonFormat
