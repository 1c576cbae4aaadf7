"""CSV: one header line, then one line per row of the report, written a line at a time.

Ranges are two columns (`_low`, `_high`); lists (notes, flags) are joined with ' | '.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from cmhcost.formats import plain
from cmhcost.formats.interface import Formatter
from cmhcost.numbers import RATIO_PLACES, fixed, pair
from cmhcost.numbers import plain as as_written

if TYPE_CHECKING:
    from decimal import Decimal

    from cmhcost.audit import Audit
    from cmhcost.compare import Comparison
    from cmhcost.currency import Converted, RateListing
    from cmhcost.models import Figure, Service
    from cmhcost.money import Range
    from cmhcost.pilot import PilotReport
    from cmhcost.prices import Adjustment

JOIN = " | "


def lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The header and the rows as CSV text, a line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in _chain(header, rows):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield header
    yield from rows


def bounds(value: Range | None, places: Decimal | None = None) -> list[str]:
    """A range as two cells (empty when there is none)."""
    found = pair(value, places) if places is not None else pair(value)
    return [found["low"], found["high"]] if found else ["", ""]


COMPARE_COLUMNS = (
    "id", "name", "category", "country", "figure", "unit", "currency", "cost_low", "cost_high",
    "baseline_id", "baseline_label", "baseline_low", "baseline_high", "ratio_low", "ratio_high",
    "claimed_ratio_low", "claimed_ratio_high", "saving_pct_low", "saving_pct_high", "notes",
    "price_year", "price_country", "baseline_price_year", "inflation_factor", "ppp_factor", "rate",
    "baseline_inflation_factor", "baseline_ppp_factor", "baseline_rate",
)  # fmt: skip
PILOT_COLUMNS = (
    "id", "name", "currency", "unit", "cost_low", "cost_high", "baseline_id", "baseline_label",
    "baseline_low", "baseline_high", "ratio_low", "ratio_high", "saving_per_unit_low",
    "saving_per_unit_high", "saving_pct_low", "saving_pct_high", "annual_saving_low",
    "annual_saving_high", "rank", "of",
)  # fmt: skip
AUDIT_COLUMNS = (
    "check", "id", "item", "currency", "stated_low", "stated_high", "found_low", "found_high",
    "difference_pct_low", "difference_pct_high", "detail",
)  # fmt: skip
FIGURE_COLUMNS = (
    "id", "where", "figure", "label", "kind", "amount_low", "amount_high", "currency", "unit",
    "price_year", "usd_low", "usd_high", "usd_as_of", "flags", "document", "lines", "quote",
)  # fmt: skip


class CsvFormat(Formatter):
    """CSV for spreadsheets: plain cells, fixed-point amounts."""

    name = "csv"

    def compare(self, result: Comparison) -> Iterator[str]:
        currency = result.options.currency
        return lines(
            COMPARE_COLUMNS,
            (
                [
                    row.service.id,
                    row.service.name,
                    row.service.category.value,
                    row.service.country,
                    row.figure.id,
                    row.unit,
                    currency,
                    *bounds(row.cost),
                    row.baseline.id,
                    row.baseline.label,
                    *bounds(row.baseline_cost),
                    *bounds(row.ratio, RATIO_PLACES),
                    *bounds(row.claimed_ratio, RATIO_PLACES),
                    *bounds(row.saving_pct),
                    JOIN.join(plain.notes(row)),
                    *plain.price_cells(row),
                ]  # fmt: skip
                for row in result.rows
            ),
        )

    def pilot(self, reports: Sequence[PilotReport]) -> Iterator[str]:
        rows = []
        for report in reports:
            head = [report.service.id, report.service.name, report.currency, report.unit]
            tail = [*bounds(report.annual_saving), report.rank, len(report.peers)]
            for row in report.comparisons:
                rows.append(
                    [
                        *head,
                        *bounds(report.cost),
                        row.baseline.id,
                        row.baseline.label,
                        *bounds(row.baseline_cost),
                        *bounds(row.ratio, RATIO_PLACES),
                        *bounds(row.saving),
                        *bounds(row.saving_pct),
                        *tail,
                    ]  # fmt: skip
                )
            if not report.comparisons:
                rows.append([*head, *bounds(report.cost), *[""] * 12, *tail])
        return lines(PILOT_COLUMNS, rows)

    def audit(self, audit: Audit) -> Iterator[str]:
        rows: list[list[Any]] = []
        for c in audit.usd_checks:
            deviation = fixed(c.deviation_pct) if c.deviation_pct is not None else ""
            detail = str(c.missing_rate) if c.missing_rate else f"rates of {c.rate_date}"
            rows.append(
                [
                    "usd",
                    c.service.id,
                    c.figure.id,
                    "USD",
                    *bounds(c.printed),
                    *bounds(c.computed),
                    deviation,
                    deviation,
                    detail,
                ]  # fmt: skip
            )
        for b in audit.budget_checks:
            rows.append(
                [
                    "budget",
                    b.service.id,
                    b.stated.id,
                    b.stated.currency,
                    *bounds(b.stated.amount),
                    *bounds(b.derived),
                    *bounds(b.difference_pct),
                    JOIN.join(b.derivation.steps),
                ]  # fmt: skip
            )
        for f in audit.flags:
            rows.append(["flag", f.service.id, f.where, *[""] * 7, f.text])
        return lines(AUDIT_COLUMNS, rows)

    def convert(self, result: Converted) -> Iterator[str]:
        record = plain.conversion_record(result)
        return lines(list(record), [list(record.values())])

    def adjustment(self, amount: Range, result: Adjustment) -> Iterator[str]:
        from cmhcost.formats.adjustment import adjustment_record

        record = adjustment_record(amount, result)
        return lines(list(record), [list(record.values())])

    def services(self, listed: Sequence[Service]) -> Iterator[str]:
        header = ("id", "name", "place", "country", "category", "figures", "baselines")
        return lines(
            header,
            [
                [
                    s.id,
                    s.name,
                    s.place,
                    s.country,
                    s.category.value,
                    len(s.figures),
                    len(s.baselines),
                ]  # fmt: skip
                for s in listed
            ],
        )

    def show(self, record: Service) -> Iterator[str]:
        figures = [("figures", f) for f in record.figures] + [
            (f"baseline {b.id}", b.cost) for b in record.baselines if b.cost is not None
        ]
        return lines(FIGURE_COLUMNS, [_figure_row(record, where, f) for where, f in figures])

    def rates(self, listing: RateListing) -> Iterator[str]:
        if listing.quotes:
            quotes = [list(plain.quote_record(q).values()) for q in listing.quotes]
            return lines(("currency", "date", "rate", "base", "source", "layer"), quotes)
        summary = [
            [c.currency, c.dates, c.first.isoformat(), c.last.isoformat(), JOIN.join(c.sources)]
            + [JOIN.join(c.layers)]
            for c in listing.currencies
        ]
        return lines(("currency", "dates", "first", "last", "sources", "layers"), summary)


def _figure_row(record: Service, where: str, figure: Figure) -> list[Any]:
    usd = figure.usd
    source = figure.source
    return [
        record.id, where, figure.id, figure.label, figure.kind.value,
        as_written(figure.amount.low), as_written(figure.amount.high), figure.currency,
        figure.unit.value, figure.price_year or "",
        *([as_written(usd.amount.low), as_written(usd.amount.high), usd.as_of] if usd else ["", "", ""]),
        JOIN.join(figure.flags), source.document if source else "",
        f"{source.lines[0]}-{source.lines[1]}" if source else "", source.quote if source else "",
    ]  # fmt: skip


FORMAT = CsvFormat
