"""The text's claims: one per baseline however often quoted, its quotes, and relative claims
("three times more", "44% higher") as ratios checked against the figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from cmhcost.domain.limits import CLAIM_TOLERANCE
from cmhcost.domain.money import Range
from cmhcost.domain.number_text import fixed, span
from cmhcost.schema.services import Baseline, Figure, Provenance, Relation, RelativeCost, Service

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
    return span(ratio, fixed, "-")


def claims(service: Service) -> Iterator[Baseline]:
    """The service's baselines, one per claim: a baseline that restates another adds no row."""
    return (b for b in service.baselines if b.same_as is None)


def restatements(service: Service, baseline: Baseline) -> list[Baseline]:
    """The baselines that quote `baseline`'s claim again (from the other document)."""
    return [b for b in service.baselines if b.same_as == baseline.id]


def row_sources(
    figure: Figure, baseline: Baseline, restated: Iterable[Baseline] = ()
) -> tuple[Provenance, ...]:
    """Every quote a row rests on: the figure, the baseline, and each restatement of the claim."""
    found: list[Provenance | None] = [figure.source]
    for item in (baseline, *restated):
        found += [item.cost.source if item.cost else None]
        found += [item.relative.source if item.relative else None]
    return tuple(dict.fromkeys(s for s in found if s is not None))
