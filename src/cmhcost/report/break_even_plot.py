"""The break-even chart: a pilot's cost per unit against occupancy, with its baseline.

The pilot's unit cost falls as occupancy rises (annual cost / (beds x occupancy x 365.25)); the
baseline is a band; the budget-neutral line is the baseline times the substitution share, since
only that share of the pilot's nights replaces a baseline night. Where the cost curve crosses
it is the budget-neutral occupancy. Drawn with the forest plot's style: repeatable bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from cmhcost.domain.errors import CmhcostError
from cmhcost.engine.pilot import PilotReport
from cmhcost.report.plot import PILOT, POINT, _matplotlib, _style, save

STEPS = 60  # points on each cost curve
NEUTRAL = "#2e7d32"


def _curve(total: Decimal, beds: Decimal, factor: Decimal) -> tuple[list[float], list[float]]:
    xs = [0.1 + 0.9 * i / STEPS for i in range(STEPS + 1)]
    days = float(beds) * 365.25
    return xs, [float(total * factor) / (days * x) for x in xs]


def chart_title(report: PilotReport) -> str:
    """What the chart shows, with its currency and basis."""
    where = report.basis or f"{report.price_year} prices"
    return (
        f"{report.service.name}: cost per {report.unit} against occupancy "
        f"({report.currency}, {where})"
    )


def render_break_even(reports: Sequence[PilotReport], fmt: str) -> bytes:
    """The break-even chart of the first pilot with beds, as SVG, PNG or PDF bytes."""
    report = next((r for r in reports if r.inputs is not None and r.inputs.beds is not None), None)
    if report is None or report.inputs is None or report.outcomes is None:
        raise CmhcostError(
            "a break-even chart needs a pilot with beds and an occupancy, compared with a baseline"
        )
    matplotlib = _matplotlib()
    from matplotlib.figure import Figure

    inputs, outcomes, factor = report.inputs, report.outcomes, report.display_factor
    assert inputs.beds is not None and inputs.occupancy is not None
    with matplotlib.rc_context(_style()):
        fig = Figure(figsize=(8.0, 5.0))
        ax = fig.add_axes((0.1, 0.12, 0.85, 0.76))
        base = outcomes.baseline.scale(factor)
        ax.axhspan(float(base.low), float(base.high), color=POINT, alpha=0.15, gid="baseline")
        neutral = base * report.substitution
        ax.axhspan(float(neutral.low), float(neutral.high), color=NEUTRAL, alpha=0.2,
                   gid="budget-neutral")  # fmt: skip
        for end, style in ((outcomes.annual_cost.low, "-"), (outcomes.annual_cost.high, "--")):
            xs, ys = _curve(end, inputs.beds.high if style == "-" else inputs.beds.low, factor)
            ax.plot(
                xs,
                ys,
                style,
                color=PILOT,
                linewidth=1.6,
                gid=f"cost-{'low' if style == '-' else 'high'}",
            )
        ax.axvspan(float(inputs.occupancy.low), float(inputs.occupancy.high), color="#999999",
                   alpha=0.15, gid="stated-occupancy")  # fmt: skip
        if outcomes.neutral_occupancy is not None:
            for x in (outcomes.neutral_occupancy.low, outcomes.neutral_occupancy.high):
                if x <= 1:
                    ax.axvline(float(x), color=NEUTRAL, linestyle=":", gid="neutral-occupancy")
        top = max(float(base.high) * 2, float(neutral.high) * 2)
        ax.set_ylim(0, top)
        ax.set_xlim(0.1, 1.0)
        ax.set_xlabel("occupancy (share of beds in use)")
        ax.set_ylabel(f"{report.currency} per {report.unit}")
        ax.text(0.11, float(base.high), " baseline", va="bottom", color=POINT)
        ax.text(0.11, float(neutral.high), " baseline × substitution: budget-neutral",
                va="bottom", color=NEUTRAL)  # fmt: skip
        fig.suptitle(chart_title(report), x=0.02, ha="left", fontsize=10)
        fig.text(0.02, 0.01, "Red: the pilot's cost per unit (solid low, dashed high); grey: "
                 "the stated occupancy; dotted: the budget-neutral occupancy.", fontsize=7)  # fmt: skip
        buffer = io.BytesIO()
        save(fig, buffer, fmt)
    return buffer.getvalue()
