"""Pictures of a pilot's uncertainty: the tornado, the two-way heat map, the PSA's distribution.

Drawn with matplotlib (the optional extra `cmhcost[plot]`), with `plot`'s style: Agg, a fixed
font, a fixed SVG id salt and no dates in the metadata, so the same analysis gives the same bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from cmhcost.report.plot import _matplotlib, _style, save

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sensitivity import Grid, OneWay

LOW, HIGH, BASE, NEUTRAL = "#1f4e79", "#c0392b", "#333333", "#ffffff"
PSA_KINDS = ("histogram", "cdf")


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.add_subplot()


def tornado(result: OneWay) -> Figure:
    """Net annual saving at each parameter's low and high, widest bar on top, base marked."""
    model, swings = result.model, list(reversed(result.swings))
    base = float(result.base["net_saving"] or 0)
    fig, ax = _figure(9.0, 1.2 + 0.45 * max(len(swings), 1))
    for i, s in enumerate(swings):
        for end, value, colour in (("low", s.at_low, LOW), ("high", s.at_high, HIGH)):
            width = float(value["net_saving"] or 0) - base
            ax.barh(i, width, left=base, color=colour, height=0.6, gid=f"{end}-{s.parameter.name}")
    ax.set_yticks(range(len(swings)), [s.parameter.name for s in swings])
    ax.axvline(base, color=BASE, linewidth=1, gid="base")
    ax.axvline(0, color=BASE, linewidth=0.6, linestyle="--", gid="zero")
    ax.set_xlabel(f"Net annual saving ({model.currency}); base {base:,.0f}")
    ax.set_title(f"One-way sensitivity: {model.service.name}", loc="left")
    handles = [ax.bar(0, 0, color=c, label=t) for c, t in ((LOW, "at low"), (HIGH, "at high"))]
    ax.legend(handles=handles, loc="lower right", frameon=False)
    return fig


def heat_map(grid: Grid) -> Figure:
    """Net annual saving over the grid, the budget-neutral line drawn where it is zero."""
    fig, ax = _figure(7.0, 5.5)
    xs = [float(v) for v in grid.x_values]
    ys = [float(v) for v in grid.y_values]
    z = [[float(grid.saving[i][j]) for i in range(len(xs))] for j in range(len(ys))]
    top = max(abs(v) for row in z for v in row) or 1.0
    mesh = ax.pcolormesh(xs, ys, z, cmap="RdBu", vmin=-top, vmax=top, shading="nearest")
    mesh.set_gid("net-saving")
    line = [(x, float(y)) for x, y in zip(xs, grid.neutral, strict=True) if y is not None]
    if line:
        ax.plot(*zip(*line, strict=True), color=BASE, linewidth=1.5, gid="budget-neutral")
    fig.colorbar(mesh, ax=ax, label=f"Net annual saving ({grid.model.currency})")
    ax.set_xlabel(grid.x.name)
    ax.set_ylabel(grid.y.name)
    ax.set_title("Two-way sensitivity; the line: budget-neutral", loc="left")
    return fig


def psa_figure(result: Psa, kind: str = "histogram") -> Figure:
    """The draws of the net annual saving: a histogram, or their cumulative distribution."""
    values = sorted(result.samples["net_saving"])
    fig, ax = _figure(8.0, 4.5)
    if kind == "cdf":
        n = len(values)
        ax.step(values, [(i + 1) / n for i in range(n)], where="post", color=LOW, gid="cdf")
        ax.set_ylabel("Share of draws at or below")
    else:
        ax.hist(values, bins=50, color=LOW, gid="histogram")
        ax.set_ylabel("Draws")
    ax.axvline(0, color=HIGH, linewidth=1, linestyle="--", gid="zero")
    mean = float(result.summaries[[s.outcome for s in result.summaries].index("net_saving")].mean)
    ax.axvline(mean, color=BASE, linewidth=1, gid="mean")
    p = float(result.saving.value)
    ax.set_xlabel(f"Net annual saving ({result.model.currency}); P(saving > 0) = {p:.3f}")
    ax.set_title(f"PSA, {result.draws:,} draws (seed {result.seed}): {result.model.service.name}",
                 loc="left")  # fmt: skip
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    """A figure as the bytes of an SVG, PNG or PDF file, the same bytes every run."""
    buffer = io.BytesIO()
    save(fig, buffer, fmt)
    return buffer.getvalue()


def drawn(make: Any, *args: Any, fmt: str = "svg") -> bytes:
    """Draw `make(*args)` within the house style and render it as `fmt`."""
    with _matplotlib().rc_context(_style()):
        return render(make(*args), fmt)


def inline_svg(make: Any, *args: Any) -> str:
    """The picture as SVG markup for a page (no XML declaration)."""
    svg = drawn(make, *args).decode("utf-8")
    return svg[svg.index("<svg") :]
