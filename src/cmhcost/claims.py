"""The text's relative claims ("three times more", "44% higher") as ratios, and checks on them."""

from __future__ import annotations

from decimal import Decimal

from cmhcost.models import Relation, RelativeCost
from cmhcost.money import Range

ONE = Range.of(1)


def relative_ratio(relative: RelativeCost) -> Range:
    """Service/baseline ratio that a relative statement implies."""
    value = relative.value
    if relative.relation is Relation.BASELINE_TIMES:
        return ONE / value
    if relative.relation is Relation.BASELINE_PERCENT_MORE:
        return ONE / (ONE + value.scale(Decimal("0.01")))
    if relative.relation is Relation.SERVICE_PERCENT_LESS:
        return ONE - value.scale(Decimal("0.01"))
    return value.scale(Decimal("0.01"))


CLAIM_TOLERANCE = Decimal("0.05")


def claim_disagreement(ratio: Range, claimed: Range, relative: RelativeCost) -> str | None:
    """A note when the text's stated relation disagrees with what its own figures give."""
    slack = CLAIM_TOLERANCE
    if ratio.high < claimed.low * (1 - slack) or ratio.low > claimed.high * (1 + slack):
        return (
            f"the text says {relative.words!r} (ratio {_ratio_text(claimed)}); "
            f"its figures give {_ratio_text(ratio)}"
        )
    return None


def _ratio_text(ratio: Range) -> str:
    low, high = (f"{v:.2f}" for v in (ratio.low, ratio.high))
    return low if low == high else f"{low}-{high}"
