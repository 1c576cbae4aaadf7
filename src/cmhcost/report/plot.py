"""A forest plot of the comparison: each ratio to its baseline on a log scale, parity marked.

Drawn with matplotlib (the optional extra `plot`), imported only here. The output is
byte-for-byte repeatable: Agg, a fixed font, a fixed SVG id salt and no dates in the metadata.
Every artist that stands for data carries a gid, so the SVG can be checked for its content.
"""

from __future__ import annotations

import io
import logging
import textwrap
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmhcost.domain.errors import CmhcostError
from cmhcost.engine.compare import Comparison, Row
from cmhcost.report.safe_text import for_xml

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = ("svg", "png", "pdf")
METADATA: dict[str, dict[str, Any]] = {  # no dates and no library version: the same bytes every run
    "svg": {"Date": None, "Creator": "cmhcost"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "cmhcost"},
    "png": {"Software": None},
}
EXTRA_HINT = "pip install '.[plot]' (in a checkout of cmhcost)"
FONT = "DejaVu Sans"  # ships with matplotlib, so every machine draws the same glyphs
POINT, RANGE, PILOT, PARITY = "#1f4e79", "#1f4e79", "#c0392b", "#555555"
ROW_INCHES, CAPTION_INCHES, WIDTH_INCHES = 0.26, 0.18, 10.0
TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


class MissingExtraError(CmhcostError):
    """An optional dependency that this output needs is not installed."""


@dataclass(frozen=True)
class Line:
    """One line of the plot: a category heading or a comparison."""

    label: str
    row: Row | None = None
    marks: tuple[int, ...] = ()  # the numbers of the row's flags, explained in the caption


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise MissingExtraError(
            f"drawing needs matplotlib, which is not installed: {EXTRA_HINT}"
        ) from None
    matplotlib.use("Agg", force=True)
    return matplotlib


def row_gid(row: Row) -> str:
    """The id of a row's mark in the SVG: service and baseline ids."""
    return f"ratio-{row.service.id}-{row.baseline.id}"


def title(comparison: Comparison) -> str:
    """What the plotted amounts are: the money, the period, how they were converted."""
    head = comparison.head
    rates = f"rates of {head.rates_date}" if head.rates_date else "each figure's own month"
    if head.basis is not None:
        return f"Cost ratio of each service to its baseline ({head.money}, {head.per_text})"
    return f"Cost ratio of each service to its baseline ({head.currency}, {head.per_text}; {rates})"


def flag_notes(comparison: Comparison) -> list[str]:
    """Every distinct flag of the plotted rows, numbered by their place in this list."""
    notes: dict[str, None] = {}
    for row in comparison.rows:
        for flag in row.flags:
            notes.setdefault(flag)
    return list(notes)


def plot_lines(comparison: Comparison) -> list[Line]:
    """Category headings and rows, top to bottom, in the comparison's category order."""
    flags = {text: i for i, text in enumerate(flag_notes(comparison), 1)}
    by_category: dict[str, list[Row]] = {}
    for row in comparison.rows:
        by_category.setdefault(row.service.category.value, []).append(row)
    lines: list[Line] = []
    for category, rows in by_category.items():
        lines.append(Line(category.replace("-", " ").capitalize()))
        for row in rows:
            marks = [flags[flag] for flag in row.flags]
            label = for_drawing(
                f"{row.service.name} ({row.service.country}) vs {row.baseline.label}"
            )
            lines.append(Line(label, row, tuple(marks)))
    return lines


def for_drawing(text: str) -> str:
    """Data text for one line of a drawing: no character an SVG (XML) may not hold, no breaks."""
    return " ".join(for_xml(text).split())


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def figure(
    comparison: Comparison, highlight: Collection[str] = (), source: str = "data/services.yaml"
) -> Figure:
    """The forest plot as a matplotlib figure; rows of services in `highlight` stand out."""
    matplotlib = _matplotlib()
    from matplotlib.figure import Figure

    lines = plot_lines(comparison)
    caption = _caption_lines(comparison, source)
    height = 1.35 + ROW_INCHES * max(len(lines), 1) + CAPTION_INCHES * len(caption)
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(WIDTH_INCHES, height))
        top = 1 - 0.75 / height
        bottom = (0.6 + CAPTION_INCHES * len(caption)) / height
        ax = fig.add_axes((0.47, bottom, 0.5, top - bottom))
        _draw_rows(ax, lines, highlight)
        fig.suptitle(title(comparison), x=0.02, y=1 - 0.2 / height, ha="left", fontsize=11)
        for i, text in enumerate(caption):
            y = (0.15 + CAPTION_INCHES * (len(caption) - 1 - i)) / height
            fig.text(0.02, y, text, fontsize=7, color="#333333", gid=f"caption-{i}")
    return fig


def _style() -> dict[str, Any]:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "font.size": 8,
        "text.parse_math": False,  # a "$" in a label is a dollar, not mathematics
        "svg.hashsalt": "cmhcost",
        "svg.fonttype": "none",  # text stays text: searchable, selectable, small
        "pdf.fonttype": 42,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _draw_rows(ax: Axes, lines: list[Line], highlight: Collection[str]) -> None:
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ratios = [
        float(r) for line in lines if line.row for r in (line.row.ratio.low, line.row.ratio.high)
    ]
    low, high = min([*ratios, 0.5]), max([*ratios, 2.0])
    ax.set_xscale("log")
    ax.set_xlim(low / 1.6, high * 1.6)
    ax.set_ylim(max(len(lines), 1) - 0.5, -0.7)
    if not lines:
        ax.text(1.0, 0, "nothing to compare with these options", ha="center", gid="empty")
    ax.axvline(1.0, color=PARITY, linewidth=0.9, linestyle="--", gid="parity")
    ax.set_xticks([t for t in TICKS if low / 1.6 <= t <= high * 1.6])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    labels = []
    for y, line in enumerate(lines):
        if line.row is None:
            labels.append(line.label)
            continue
        mark = f" [{','.join(map(str, line.marks))}]" if line.marks else ""
        labels.append(_short(line.label, 62) + mark)
        _draw_ratio(ax, y, line.row, line.row.service.id in highlight)
    ax.set_yticks(range(len(lines)), labels)
    for tick, line in zip(ax.get_yticklabels(), lines, strict=True):
        if line.row is None:
            tick.set_fontweight("bold")
        elif line.row.service.id in highlight:
            tick.set_color(PILOT)
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel("ratio of cost to baseline (log scale; left of 1.0 the service costs less)")
    parity_label = ax.get_xaxis_transform()  # x in data, y in axes: just above the top
    ax.text(1.0, 1.0, "parity 1.0", ha="center", va="bottom", color=PARITY, transform=parity_label)
    ax.grid(axis="x", which="major", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)


def _draw_ratio(ax: Axes, y: int, row: Row, highlighted: bool) -> None:
    colour = PILOT if highlighted else POINT
    gid = row_gid(row)
    low, high = float(row.ratio.low), float(row.ratio.high)
    if row.ratio.is_point:
        ax.plot([low], [y], "D" if highlighted else "o", markersize=5, color=colour, gid=gid)
        return
    ax.plot([low, high], [y, y], color=colour, linewidth=2.2, solid_capstyle="butt", gid=gid)
    ax.plot([low, high], [y, y], linestyle="none", marker="|", markersize=7, color=colour)


def _caption_lines(comparison: Comparison, source: str) -> list[str]:
    flags = flag_notes(comparison)
    lines = [f"[{i}] {_short(for_drawing(text), 170)}" for i, text in enumerate(flags, 1)]
    if lines:
        lines.insert(
            0, "Flags: the data records an inconsistency in the source for rows marked [n]."
        )
    footer = (
        f"{len(comparison.rows)} comparison{'' if len(comparison.rows) == 1 else 's'}; ranges drawn as ranges (low cost over high baseline "
        f"to high over low). Data: {source}, from WHO, Guidance on community mental health "
        "services (2021)."
    )
    return lines + textwrap.wrap(footer, 170)


def save(fig: Figure, path: Path | io.BytesIO, fmt: str) -> None:
    """Write the figure as `fmt` with no date or other varying metadata."""
    dpi = 150 if fmt == "png" else "figure"
    fig.savefig(
        path, format=fmt, metadata=METADATA[fmt], dpi=dpi, bbox_inches="tight", pad_inches=0.2
    )


def output_format(path: Path) -> str:
    """The drawing format a file's extension names."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"{path.name}: the extension names the format; use .svg, .png or .pdf")
    return fmt


def render(
    comparison: Comparison,
    fmt: str,
    highlight: Collection[str] = (),
    source: str = "data/services.yaml",
) -> bytes:
    """The forest plot as the bytes of an SVG, PNG or PDF file."""
    buffer = io.BytesIO()
    matplotlib = _matplotlib()
    # A glyph missing from the font is drawn as a box; matplotlib's warnings are not for users.
    with warnings.catch_warnings(), matplotlib.rc_context(_style()):
        warnings.simplefilter("ignore")
        logging.getLogger("matplotlib").setLevel(logging.ERROR)
        save(figure(comparison, highlight, source), buffer, fmt)
    return buffer.getvalue()


def svg_text(
    comparison: Comparison, highlight: Collection[str] = (), source: str = "data/services.yaml"
) -> str:
    """The forest plot as SVG markup, for inlining in a page."""
    return render(comparison, "svg", highlight, source).decode("utf-8")
