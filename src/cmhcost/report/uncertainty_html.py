"""The sensitivity analyses and the PSA as a page's title and body, pictures inline as SVG.

Every text from the pilot's file passes through `html.escape`; without matplotlib the page says
how to get the pictures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from cmhcost.report.uncertainty_data import Section, psa_sections, sensitivity_sections

if TYPE_CHECKING:
    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sensitivity import Grid, OneWay


def _table(section: Section) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in section.header)
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td data-label="{escape(h)}"{" class=num" if i >= 2 else ""}>{escape(c)}</td>'
            for i, (h, c) in enumerate(zip(section.header, row, strict=True))
        )
        + "</tr>\n"
        for row in section.rows
    )
    return f'<table class="stack"><thead><tr>{head}</tr></thead><tbody>\n{rows}</tbody></table>'


def _figure(make: Callable[..., Any], gid: str, caption: str, *args: Any) -> str:
    from cmhcost.report.plot import MissingExtraError
    from cmhcost.report.uncertainty_plot import inline_svg

    try:
        svg = inline_svg(make, *args)
    except MissingExtraError:
        return (
            '<p class="muted">The picture is drawn with matplotlib, which is not installed: '
            "<code>pip install 'cmhcost[plot]'</code>.</p>"
        )
    return f'<figure id="{gid}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'


def _body(sections: Sequence[Section], figures: dict[int, str]) -> list[str]:
    body = []
    for i, section in enumerate(sections):
        tag = "h1" if i == 0 else "h2"
        body.append(f"<section><{tag}>{escape(section.title)}</{tag}>")
        body += [f"<p>{escape(line)}</p>" for line in section.lines]
        body.append(figures.get(i, ""))
        body.append(_table(section) + "</section>")
    return body


def sensitivity_html(result: OneWay, grid: Grid | None) -> tuple[str, list[str]]:
    """One-way (the tornado inline) and, when asked, two-way (the heat map inline)."""
    from cmhcost.report import uncertainty_plot as plots

    sections = sensitivity_sections(result, grid)
    caption = "Net annual saving with each parameter at its low and its high; the line: base."
    figures = {0: _figure(plots.tornado, "tornado", caption, result)}
    if grid is not None:
        caption = "Net annual saving over the grid; the line: budget-neutral (saving zero)."
        figures[len(sections) - 1] = _figure(plots.heat_map, "heat-map", caption, grid)
    return sections[0].title, _body(sections, figures)


def psa_html(result: Psa) -> tuple[str, list[str]]:
    """The PSA with the histogram of the net annual saving inline."""
    from cmhcost.report import uncertainty_plot as plots

    sections = psa_sections(result)
    caption = "Net annual saving over the draws; dashed: zero; solid: the mean."
    figures = {0: _figure(plots.psa_figure, "psa-histogram", caption, result)}
    return sections[0].title, _body(sections, figures)
