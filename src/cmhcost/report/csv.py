"""CSV: one header line, then one line per row of the report, written a line at a time.

Ranges are two columns (`_low`, `_high`); lists (notes, flags) are joined with ' | '. The
comparison is one table: its rows (`record` = `compared`), then the figures not compared
(`record` = `not_compared`, with their `reason`).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from cmhcost.conversion.units import Side
from cmhcost.domain.number_text import RATIO_PLACES, fixed, pair
from cmhcost.domain.number_text import plain as as_written
from cmhcost.report import structured
from cmhcost.report.heading import quote_text
from cmhcost.report.interface import Formatter
from cmhcost.report.safe_text import csv_cell

if TYPE_CHECKING:
    from decimal import Decimal

    from cmhcost.conversion.exchange import Converted, RateListing
    from cmhcost.conversion.prices import Adjustment
    from cmhcost.domain.money import Range
    from cmhcost.engine.audit import Audit
    from cmhcost.engine.compare import Comparison, Row, Skipped
    from cmhcost.engine.pilot import PilotReport
    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sensitivity import Grid, OneWay
    from cmhcost.schema.services import Figure, Provenance, Service

JOIN = " | "


def lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The header and the rows as CSV text, a line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in _chain(header, rows):
        writer.writerow([csv_cell(value) for value in row])
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
    "record", "id", "name", "category", "tags", "country", "figure", "baseline_id",
    "baseline_label", "section", "unit", "period", "currency", "basis", "price_year", "cost_low", "cost_high",
    "baseline_low", "baseline_high", "ratio_low", "ratio_high", "claimed_ratio_low",
    "claimed_ratio_high", "difference_low", "difference_high", "saving_pct_low", "saving_pct_high",
    "cost_native_low", "cost_native_high", "cost_native_currency", "cost_native_unit",
    "cost_price_year", "cost_rate", "cost_rate_date", "cost_rate_source",
    "baseline_native_low", "baseline_native_high", "baseline_native_currency",
    "baseline_native_unit", "baseline_price_year", "baseline_rate", "baseline_rate_date",
    "baseline_rate_source", "flags", "caveats", "notes", "source_document", "source_lines",
    "baseline_source_document", "baseline_source_lines", "price_country",
    "cost_inflation_factor", "cost_ppp", "baseline_inflation_factor", "baseline_ppp", "sources",
    "reason",
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
        """Every comparison (`record` compared), then every figure not compared (`not_compared`,
        with its `reason`): one table, so that a spreadsheet reads it whole."""
        head = result.head
        money = [head.currency, head.basis.value if head.basis else "", head.price_year or ""]
        compared = (_compared_row(row, money) for row in result.rows)
        skipped = (_skipped_row(item) for item in result.not_compared)
        return lines(COMPARE_COLUMNS, itertools.chain(compared, skipped))

    def pilot(self, reports: Sequence[PilotReport]) -> Iterator[str]:
        """One row per pilot and baseline: every decisive number, the basis and price year."""
        from cmhcost.report.pilot_records import PILOT_COLUMNS, csv_rows

        return lines(PILOT_COLUMNS, csv_rows(reports))

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
        record = structured.conversion_record(result)
        return lines(list(record), [list(record.values())])

    def adjustment(self, amount: Range, result: Adjustment) -> Iterator[str]:
        from cmhcost.report.adjustment import adjustment_record

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
            quotes = [list(structured.quote_record(q).values()) for q in listing.quotes]
            return lines(("currency", "date", "rate", "base", "source", "layer"), quotes)
        summary = [
            [c.currency, c.dates, c.first.isoformat(), c.last.isoformat(), JOIN.join(c.sources)]
            + [JOIN.join(c.layers)]
            for c in listing.currencies
        ]
        return lines(("currency", "dates", "first", "last", "sources", "layers"), summary)

    def sensitivity(self, result: OneWay, grid: Grid | None) -> Iterator[str]:
        from cmhcost.report import uncertainty_data as data

        if grid is None:
            return lines(data.one_way_header(result), data.one_way_rows(result))
        cells = (
            [data.value_text(grid.x, x), data.value_text(grid.y, y), data.number("net_saving", v)]
            for x, row in zip(grid.x_values, grid.saving, strict=True)
            for y, v in zip(grid.y_values, row, strict=True)
        )
        return lines([grid.x.name, grid.y.name, "net_saving"], cells)

    def psa(self, result: Psa) -> Iterator[str]:
        from cmhcost.report import uncertainty_data as data

        rows = [["outcome", *row] for row in data.psa_rows(result)]
        rows += [["probability", code, event, "", p, se, "", "", "", ""]
                 for code, (event, p, se) in zip(data.PROBABILITIES, data.probability_rows(result),
                                                 strict=True)]  # fmt: skip
        return lines(["record", *data.PSA_HEADER], rows)


def _compared_row(row: Row, money: list[Any]) -> list[Any]:
    service = row.service
    head = [
        "compared", service.id, service.name, service.category.value,
        JOIN.join(t.value for t in service.tags), service.country, row.figure.id, row.baseline.id,
        row.baseline.label, row.group.title, row.unit, row.unit.rpartition("-")[2] if "-" in row.unit else "",
        *money,
    ]  # fmt: skip
    figures = [
        *bounds(row.cost), *bounds(row.baseline_cost), *bounds(row.ratio, RATIO_PLACES),
        *bounds(row.claimed_ratio, RATIO_PLACES), *bounds(row.difference), *bounds(row.saving_pct),
    ]  # fmt: skip
    sides = [*_side(row, Side.COST), *_side(row, Side.BASELINE)]
    words = [JOIN.join(row.flags), JOIN.join(row.caveats), JOIN.join(row.notes)]
    sources = JOIN.join(quote_text(source) for source in row.sources)
    return [*head, *figures, *sides, *words, *_where(row), *_basis(row), sources, ""]


def _basis(row: Row) -> list[Any]:
    """The country whose prices apply and, on a price basis, each side's index factor and PPP
    (local currency units per international dollar)."""
    country = row.figure.country or row.service.country
    factors = [
        "" if step is None or value is None else as_written(value)
        for step in (row.cost_adjustment, row.baseline_adjustment)
        for value in ((step.inflation_factor, step.ppp_from) if step else (None, None))
    ]
    return [country, *factors]


def _side(row: Row, side: Side) -> list[Any]:
    """Native amount, currency, unit, price year, and the exchange rate of one side of a row."""
    stated = structured.native(row, side)
    step = structured.currency_step(row, side)
    adjusted = row.adjustment(side)
    rate: list[Any] = ["", "", ""]
    if step is not None:
        rate = [as_written(step.factor), step.rate_date or "", step.rate_source or ""]
    elif adjusted is not None and adjusted.rate is not None:  # on a price basis, market rates
        rate = [as_written(adjusted.rate), "", adjusted.rate_source or ""]
    if stated is None:
        return ["", "", "", "", "", *rate]
    amount = stated["amount"]
    unit, year = stated["unit"], stated["price_year"] or ""
    return [amount["low"], amount["high"], stated["currency"], unit, year, *rate]


def _where(row: Row) -> list[str]:
    """The document and lines of the figure and of the baseline (its amount or its relation)."""
    baseline = row.baseline.cost.source if row.baseline.cost else None
    if baseline is None and row.baseline.relative is not None:
        baseline = row.baseline.relative.source
    return [*_place(row.figure.source), *_place(baseline)]


def _place(source: Provenance | None) -> list[str]:
    return [source.document, f"{source.lines[0]}-{source.lines[1]}"] if source else ["", ""]


def _skipped_row(item: Skipped) -> list[Any]:
    cells = ["not_compared", item.service.id, item.service.name, item.service.category.value]
    cells += [JOIN.join(t.value for t in item.service.tags), item.service.country, item.item]
    return [*cells, *[""] * (len(COMPARE_COLUMNS) - len(cells) - 1), item.message]


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
