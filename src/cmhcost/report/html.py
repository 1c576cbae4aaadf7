"""Self-contained HTML reports of a comparison and of a pilot, for a web page or an e-mail.

One file, nothing fetched: the style is inline, the forest plot is inline SVG, there is no script.
Everything that comes from a data file passes through `html.escape`. When matplotlib is missing
the page says where the plot would be and how to get it, and the rest of the report stands.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from cmhcost.domain.choices import Denomination, Per
from cmhcost.domain.money import Range
from cmhcost.domain.number_text import fixed, span
from cmhcost.engine.compare import Comparison, Row, Skipped
from cmhcost.engine.pilot import Peer, PilotReport
from cmhcost.report import pilot_wording as words
from cmhcost.report.heading import heading_items, source_text, stamp_line
from cmhcost.report.interface import Formatter

if TYPE_CHECKING:
    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sensitivity import Grid, OneWay
from cmhcost.schema.services import Provenance

DATA = "cmhcost's services data"
GUIDANCE = "WHO, Guidance on community mental health services (Geneva, 2021)"

METHOD = (
    "Each service's cost is set against the hospital or institutional care the guidance compares "
    "it with, on the same unit basis (a bed-night is a person-day; a week 7 days, a month "
    "365.25/12, a year 365.25) and in one currency. The ratio is service cost over baseline cost; "
    "ranges stay ranges, the low ratio being the low cost over the high baseline. Saving is "
    "(1 − ratio) × 100 percent, negative when the service costs more. Each figure converts at the "
    "month the guidance converted it, unless one date is asked for; when a service and its "
    "baseline share a currency the ratio is taken in that currency. Amounts are as the text prints "
    "them, in each figure's own price year; flags mark what the text contradicts or leaves unsaid."
)

STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --line: #d9d9d9; --flag: #8a3b00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 1rem; max-width: 80rem; }
h1 { font-size: 1.45rem; line-height: 1.25; margin: .2rem 0 .6rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .5rem; border-bottom: 1px solid var(--line); }
dl.basis { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.basis dt { color: var(--muted); } dl.basis dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
figure { margin: 1rem 0; } figure svg { width: 100%; height: auto; display: block; }
figcaption, .muted, .provenance { color: var(--muted); font-size: .9em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; background: #f4f4f4; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
ul.notes { margin: 0; padding-left: 1.1rem; } ul.notes li.flag { color: var(--flag); }
.provenance blockquote { margin: .2rem 0 .4rem; padding-left: .6rem; border-left: 3px solid var(--line); }
tr.highlight td { background: #fdf0ee; }
@media (max-width: 760px) {
  body { padding: .6rem; font-size: 14px; }
  table.stack thead { display: none; }
  table.stack tr { display: block; border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .8rem; }
  table.stack td { display: block; border: 0; padding: .2rem .6rem; text-align: left; white-space: normal; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
}
@media print {
  body { font-size: 9.5pt; max-width: none; padding: 0; }
  h2 { break-after: avoid; } tr, figure { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def page(title: str, body: Iterable[str]) -> str:
    """A whole HTML document around `body`."""
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    )
    return head + "\n".join(body) + "\n</body>\n</html>\n"


def plot_figure(comparison: Comparison, highlight: Collection[str], source: str) -> str:
    """The forest plot as inline SVG, or a note saying how to get it."""
    from cmhcost.report.plot import MissingExtraError, svg_text, title

    try:
        svg = svg_text(comparison, highlight, source)
    except MissingExtraError:
        return (
            '<p class="muted" id="no-plot">The forest plot is drawn with matplotlib, which is not '
            "installed: install the <code>plot</code> extra (<code>pip install '.[plot]'</code> from a "
            "checkout).</p>"
        )
    start = svg.index("<svg")  # drop the XML declaration and doctype: the page is HTML
    label = escape(title(comparison))
    return (
        f'<figure id="forest-plot" role="img" aria-label="{label}">{svg[start:]}'
        "<figcaption>Each line is one comparison: a dot for a single ratio, a bar for a range; "
        "left of the dashed line at 1.0 the service costs less than its baseline.</figcaption></figure>"
    )


def _basis(comparison: Comparison, source: str) -> str:
    items = [*heading_items(comparison.head), ("Data", f"{source}, from {GUIDANCE}")]
    cells = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    return f'<dl class="basis">{cells}</dl>'


def comparison_title(comparison: Comparison) -> str:
    """The report's heading: what is compared, and what every amount is."""
    head = comparison.head
    return (
        "Community mental health services against hospital care: cost ratios "
        f"({head.money}, {head.per_text})"
    )


def html_report(comparison: Comparison, source: str = DATA, highlight: Collection[str] = ()) -> str:
    """The comparison as one self-contained HTML page."""
    title = comparison_title(comparison)
    body = [
        f"<header><h1>{escape(title)}</h1>{_basis(comparison, source)}</header>",
        "<h2>Forest plot</h2>",
        plot_figure(comparison, highlight, source),
        f"<h2>Comparisons ({len(comparison.rows)})</h2>",
        comparison_table(comparison, highlight),
        f"<h2>Not compared ({len(comparison.not_compared)})</h2>",
        not_compared_table(comparison.not_compared),
        f"<h2>Method</h2><p>{escape(METHOD)}</p>",
        f'<footer class="muted"><p>Made by cmhcost from {escape(source)}. Figures and quotes: '
        f"{escape(GUIDANCE)}, CC BY-NC-SA 3.0 IGO.</p>"
        f"<p>{escape(stamp_line(comparison.head.stamp))}</p></footer>",
    ]
    return page(title, body)


def _money(value: Range) -> str:
    return escape(span(value))


def _ratio(value: Range) -> str:
    return escape(span(value, lambda d: fixed(d, Decimal("0.01"))))


def comparison_table(comparison: Comparison, highlight: Collection[str] = ()) -> str:
    """Every row with its figures, notes, flags and sources."""
    currency = escape(comparison.head.currency)
    head = (
        "<thead><tr><th>Service</th><th>Baseline</th><th>Unit</th>"
        f"<th>Cost ({currency})</th><th>Baseline ({currency})</th><th>Ratio</th><th>Saving %</th>"
        "<th>Notes and flags</th><th>Sources</th></tr></thead>"
    )
    rows = "\n".join(_row(row, row.service.id in highlight) for row in comparison.rows)
    return f'<table class="comparison stack">{head}<tbody>\n{rows}\n</tbody></table>'


def _row(row: Row, highlighted: bool) -> str:
    service = row.service
    cells = [
        ("Service", f"<strong>{escape(service.name)}</strong><br>"
         f'<span class="muted">{escape(service.place)}, {escape(service.country)} · '
         f"{escape(service.category.value)}</span>", ""),
        ("Baseline", escape(row.baseline.label), ""),
        ("Unit", escape(row.unit), ""),
        ("Cost", _money(row.cost), "num"),
        ("Baseline cost", _money(row.baseline_cost), "num"),
        ("Ratio", _ratio(row.ratio), "num"),
        ("Saving %", escape(span(row.saving_pct, lambda d: fixed(d, Decimal(1)))), "num"),
        ("Notes", _notes(row.notes, row.flags), ""),
        ("Sources", _sources(row), "provenance"),
    ]  # fmt: skip
    tds = "".join(_td(label, content, cls) for label, content, cls in cells)
    mark = ' class="highlight"' if highlighted else ""
    return f'<tr id="{escape(service.id)}--{escape(row.baseline.id)}"{mark}>{tds}</tr>'


def _td(label: str, content: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<td data-label="{label}"{klass}>{content}</td>'


def _notes(notes: Iterable[str], flags: Iterable[str]) -> str:
    items = [f"<li>{escape(note)}</li>" for note in notes]
    items += [f'<li class="flag"><strong>Flag:</strong> {escape(flag)}</li>' for flag in flags]
    return f'<ul class="notes">{"".join(items)}</ul>' if items else ""


def _sources(row: Row) -> str:
    """Every source the row rests on: the figure's, the baseline's and each restatement's."""
    figure = row.figure.source
    return "".join(
        provenance("Service" if source is figure else "Baseline", source) for source in row.sources
    )


def provenance(who: str, source: Provenance | None) -> str:
    """Where a figure comes from, as a reader finds it, and the verbatim quote."""
    if source is None:
        return f"<div><strong>{escape(who)}:</strong> no source given</div>"
    return (
        f"<div><strong>{escape(who)}:</strong> {escape(source_text(source))}"
        f"<blockquote>“{escape(source.quote)}”</blockquote></div>"
    )


def not_compared_table(skipped: Iterable[Skipped]) -> str:
    """The figures left out of the comparison, each with its reason."""
    rows = "".join(
        f'<tr><td data-label="Service">{escape(s.service.name)}</td>'
        f'<td data-label="Figure">{escape(s.label)} <span class="muted">({escape(s.item)})</span></td>'
        f'<td data-label="Reason">{escape(s.message)}</td></tr>'
        for s in skipped
    )
    head = "<thead><tr><th>Service</th><th>Figure</th><th>Reason</th></tr></thead>"
    return f'<table class="not-compared stack">{head}<tbody>{rows}</tbody></table>'


def pilot_html(reports: Sequence[PilotReport], source: str = DATA) -> str:
    """Pilot appraisals as one self-contained page, each ratio drawn against parity."""
    names = ", ".join(r.service.name for r in reports)
    title = f"Pilot appraisal: {names}"
    body = [
        f'<header><h1>{escape(title)}</h1><p class="muted">Against {escape(GUIDANCE)}.</p></header>'
    ]
    if len(reports) > 1:
        body += _scenarios(reports)
    for report in reports:
        body += _pilot_section(report)
    pilots = {r.service.id for r in reports}
    rows = tuple(row for r in reports for row in r.comparisons)
    own = Denomination(currency=reports[0].currency, per=Per.NATIVE) if reports else Denomination()
    body += ["<h2>Ratios</h2>", plot_figure(Comparison(own, rows, ()), pilots, source)]
    method = words.pilot_method(reports[0]) if reports else METHOD
    body.append(f"<h2>Method</h2><p>{escape(method)}</p>")
    return page(title, body)


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]], kind: str) -> str:
    """A plain table of text cells (escaped here), numbers right-aligned after the first."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(
            _td(header[i], escape(c), "num" if i else "") for i, c in enumerate(row)
        ) + "</tr>"
        for row in rows
    )  # fmt: skip
    return (
        f'<table class="{kind} stack"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _scenarios(reports: Sequence[PilotReport]) -> list[str]:
    rows, note = words.scenario_rows(reports)
    out = ["<h2>Pilots side by side</h2>", _grid(words.SCENARIO_HEADER, rows, "scenarios")]
    return out + ([f'<p class="muted">{escape(note)}</p>'] if note else [])


def _pilot_section(report: PilotReport) -> list[str]:
    cur, service = escape(report.currency), report.service
    decisive = "".join(
        f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in words.decisive(report)
    )
    flow = report.cash_flow
    cash = []
    if flow is not None:
        cash = [
            f"<h3>Cash flow ({cur})</h3>",
            _grid(words.CASH_HEADER, words.cash_rows(flow), "cash-flow"),
            f'<p class="muted">{escape(words.cash_note(flow))}</p>',
        ]
    steps = report.derivation.steps if report.derivation else ()
    rows = "".join(
        f"<tr>{_td('Baseline', escape(row.baseline.label))}"
        f"{_td('Baseline cost', _money(row.baseline_cost), 'num')}{_td('Ratio', _ratio(row.ratio), 'num')}"
        f"{_td('Saving per unit', _money(row.baseline_cost - row.cost), 'num')}"
        f"{_td('Saving %', escape(span(row.saving_pct, lambda d: fixed(d, Decimal(1)))), 'num')}"
        f"{_td('Notes', _notes(row.notes, row.flags))}{_td('Source', _sources(row), 'provenance')}</tr>"
        for row in report.comparisons
    )
    head = (
        f"<thead><tr><th>Baseline</th><th>Baseline ({cur})</th><th>Ratio</th>"
        f"<th>Saving per unit ({cur})</th><th>Saving %</th><th>Notes</th><th>Source</th></tr></thead>"
    )
    peers = "".join(_peer(p, cur) for p in report.peers) if report.ranked else ""
    return [
        f'<h2 id="{escape(service.id)}">{escape(service.name)} — {escape(service.place)}, '
        f"{escape(service.country)}</h2>",
        f'<dl class="basis decisive">{decisive}</dl>',
        *cash,
        "<h3>Arithmetic</h3><ol>" + "".join(f"<li>{escape(step)}</li>" for step in steps) + "</ol>",
        f'<table class="pilot stack">{head}<tbody>{rows}</tbody></table>',
        "".join(
            f"<p>Not compared with {escape(s.label)}: {escape(s.message)}</p>"
            for s in report.skipped
        ),
        f'<h3>Cheapest first, per {escape(report.unit)}</h3><ol class="peers">{peers}</ol>'
        if peers
        else f"<p>{escape(words.rank_words(report))}</p>",
    ]


def _peer(peer: Peer, cur: str) -> str:
    figures = escape(", ".join(peer.figure_ids))
    text = f"{escape(peer.service.name)} ({figures}): {cur} {_money(peer.cost)}"
    return (
        f'<li class="pilot"><strong>{text} ← this pilot</strong></li>'
        if peer.is_pilot
        else f"<li>{text}</li>"
    )


class HtmlFormat(Formatter):
    """One self-contained HTML page per report, to publish or send."""

    name = "html"

    def compare(self, result: Comparison) -> Iterator[str]:
        yield html_report(result)

    def pilot(self, reports: Sequence[PilotReport]) -> Iterator[str]:
        yield pilot_html(reports)

    def sensitivity(self, result: OneWay, grid: Grid | None) -> Iterator[str]:
        from cmhcost.report.uncertainty_html import sensitivity_html

        yield page(*sensitivity_html(result, grid))

    def psa(self, result: Psa) -> Iterator[str]:
        from cmhcost.report.uncertainty_html import psa_html

        yield page(*psa_html(result))


FORMAT = HtmlFormat
