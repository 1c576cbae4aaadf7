"""The comparison engine: each service's cost against its baseline, in one currency and one unit.

Pure functions over the dataset and a rate table; no I/O. Ranges stay ranges (interval arithmetic).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.units import Notes, Side, TargetUnit, target_unit, to_unit
from cmhcost.domain.choices import Category, Denomination, Per, Selection, SortKey
from cmhcost.domain.errors import PriceDataError, RateNotFoundError
from cmhcost.domain.money import Range
from cmhcost.engine.claims import (
    claim_disagreement,
    claims,
    relative_ratio,
    restatements,
    row_sources,
)
from cmhcost.engine.converters import Converter, ExchangeConverter
from cmhcost.engine.heading import ReportHeading, heading_of, with_projections
from cmhcost.engine.sections import Group, group_of
from cmhcost.engine.selection import selected
from cmhcost.schema.dataset import Dataset
from cmhcost.schema.services import Baseline, Figure, FigureKind, Provenance, Service

if TYPE_CHECKING:
    from cmhcost.conversion.prices import Adjustment
    from cmhcost.conversion.units import ConversionStep

EVERY_SERVICE = Selection()  # every category and country, in the category order
DOLLARS_PER_DAY = Denomination()  # US dollars per day, at each figure's conversion month
HUNDRED = Decimal(100)
ONE = Range.of(1)


@dataclass(frozen=True)
class Row:
    """One service compared with one baseline."""

    service: Service
    figure: Figure
    baseline: Baseline
    unit: str
    cost: Range
    baseline_cost: Range
    ratio: Range
    claimed_ratio: Range | None
    notes: tuple[str, ...]
    group: Group  # the section (unit) the row belongs to
    flags: tuple[str, ...] = ()  # what the data flags in the service, figure or baseline
    cost_adjustment: Adjustment | None = None  # on a price basis: how the cost got there
    baseline_adjustment: Adjustment | None = None  # and the baseline
    caveats: tuple[str, ...] = ()  # why the comparison's basis is questionable
    sources: tuple[Provenance, ...] = ()  # every quote the row rests on
    conversions: tuple[ConversionStep, ...] = ()  # each change of period or currency, in order

    def adjustment(self, side: Side) -> Adjustment | None:
        """The price adjustment of one side of the row (None at market rates)."""
        return self.cost_adjustment if side is Side.COST else self.baseline_adjustment

    @property
    def difference(self) -> Range:
        """Service minus baseline, per unit: negative when the service costs less."""
        return self.cost - self.baseline_cost

    @property
    def saving(self) -> Range:
        """Baseline minus service, per unit: what each unit saves (negative: it costs more)."""
        return self.baseline_cost - self.cost

    @property
    def saving_pct(self) -> Range:
        """How much less the service costs, in percent of the baseline (negative: it costs more)."""
        return (ONE - self.ratio).scale(HUNDRED)


class SkipReason(Enum):
    """Why a figure or a baseline is not in a comparison; `detail` fills the sentence."""

    RESTATES = "restates {detail} from the other document"
    NO_BASELINE = "the guidance gives no baseline for this service"
    NOT_A_UNIT_COST = "a {detail}, not a unit cost of care"
    NO_BASELINE_FOR_FIGURE = "no baseline is stated against this figure"
    UNITS_DO_NOT_CONVERT = "the baseline is per {detail}: no stated way to convert"
    NO_RATE = "no exchange rate: {detail}"
    NOT_SUPPORTED = "{detail}"  # the data's own reason: the text does not support the comparison
    BASELINES_NOT_COMPARED = "its baselines are not compared ({detail}: see their reasons)"
    NOT_ON_PRICE_BASIS = "not on the price basis: {detail}"


@dataclass(frozen=True)
class Skipped:
    """A figure or baseline that could not be compared, with the reason."""

    service: Service
    item: str  # the figure or baseline id
    label: str
    reason: SkipReason
    detail: str = ""

    @property
    def message(self) -> str:
        """The reason as a sentence."""
        return self.reason.value.format(detail=self.detail)


@dataclass(frozen=True)
class Comparison:
    """The result of a comparison run."""

    denomination: Denomination  # what every amount of the rows is expressed in
    rows: tuple[Row, ...]
    not_compared: tuple[Skipped, ...]
    heading: ReportHeading | None = None  # None: made from the denomination alone

    def __post_init__(self) -> None:
        if self.heading is None:
            object.__setattr__(self, "heading", heading_of(self.denomination))

    @property
    def head(self) -> ReportHeading:
        """What every amount of the report is, and what produced it."""
        assert self.heading is not None  # filled in on creation
        return self.heading


def compare(
    data: Dataset,
    rates: RateTable,
    selection: Selection = EVERY_SERVICE,
    denomination: Denomination = DOLLARS_PER_DAY,
    *,
    converter: Converter | None = None,
    heading: ReportHeading | None = None,
) -> Comparison:
    """Compare every selected service with each of its baselines, in `denomination`.

    On a price basis `converter` takes each amount there; at exchange rates it may be left out.
    """
    convert = converter or ExchangeConverter.of(rates, denomination)
    rows: list[Row] = []
    skipped: list[Skipped] = []
    for service in selected(data.services.values(), selection):
        compared: set[str] = set()
        for baseline in claims(service):
            figure = _figure_of(service, baseline)
            outcome = compare_one(service, figure, baseline, denomination.per, convert)
            if isinstance(outcome, Row):
                rows.append(outcome)
                compared.add(figure.id)
            else:
                skipped.append(outcome)
        skipped += _uncompared_figures(service, compared)
    skipped.sort(key=lambda s: s.service.id)  # whatever order the files list the records in
    steps = (s for r in rows for s in (r.cost_adjustment, r.baseline_adjustment))
    head = with_projections(heading or heading_of(denomination), steps)
    ordered = tuple(sort_rows(rows, selection.sort))
    return Comparison(denomination, ordered, tuple(skipped), head)


def _figure_of(service: Service, baseline: Baseline) -> Figure:
    if baseline.compare is None:
        return service.figures[0]
    return next(f for f in service.figures if f.id == baseline.compare)


def _uncompared_figures(service: Service, compared: set[str]) -> Iterator[Skipped]:
    for figure in service.figures:
        if figure.id in compared:
            continue
        refused = [b.id for b in claims(service) if _figure_of(service, b) is figure]
        reason, detail = SkipReason.NO_BASELINE_FOR_FIGURE, ""
        if refused:
            reason, detail = SkipReason.BASELINES_NOT_COMPARED, ", ".join(refused)
        elif figure.same_as:
            reason, detail = SkipReason.RESTATES, figure.same_as
        elif not service.baselines:
            reason = SkipReason.NO_BASELINE
        elif figure.kind is not FigureKind.COST and figure.kind is not FigureKind.PAYMENT:
            reason, detail = SkipReason.NOT_A_UNIT_COST, figure.kind.value
        yield Skipped(service, figure.id, figure.label, reason, detail)


def compare_one(
    service: Service, figure: Figure, baseline: Baseline, per: Per, convert: Converter
) -> Row | Skipped:
    """Compare one service figure with one baseline per `per`, or say why it cannot be done."""
    if baseline.not_compared is not None:
        reason = SkipReason.NOT_SUPPORTED
        return Skipped(service, baseline.id, baseline.label, reason, baseline.not_compared)
    try:
        return _compare_one(service, figure, baseline, per, convert)
    except PriceDataError as exc:
        reason = SkipReason.NOT_ON_PRICE_BASIS
        return Skipped(service, baseline.id, baseline.label, reason, str(exc))
    except RateNotFoundError as exc:  # the run goes on; the reason says how to add the rate
        return Skipped(service, baseline.id, baseline.label, SkipReason.NO_RATE, str(exc))


def _compare_one(
    service: Service, figure: Figure, baseline: Baseline, per: Per, convert: Converter
) -> Row | Skipped:
    notes = Notes()
    per_unit = target_unit(figure.unit, per)
    cost_native = to_unit(figure.amount, figure.unit, per_unit, notes)
    assert cost_native is not None  # a unit always converts to its own unit
    cost, cost_step = convert(cost_native, figure, service, notes)
    claimed = relative_ratio(baseline.relative) if baseline.relative else None
    if baseline.cost is None:
        assert claimed is not None
        notes.add(f"baseline derived from the text's words: {baseline.relative.words!r}")  # type: ignore[union-attr]
        implied = cost / claimed
        if not cost.is_point:
            notes.add(
                "the baseline range is the cost range over the text's ratio; the ratio range pairs "
                "the low cost with the high baseline and the high cost with the low baseline"
            )
        only = (cost_step, None)
        ratio = cost / implied  # the one rule: low cost over high baseline, high over low
        return _row(service, figure, baseline, per_unit, cost, implied, ratio, claimed, notes, only)
    base = baseline.cost
    notes.side = Side.BASELINE
    base_native = to_unit(base.amount, base.unit, per_unit, notes)
    if base_native is None:
        units = f"{base.unit.value} and the service per {figure.unit.value}"
        return Skipped(service, baseline.id, baseline.label, SkipReason.UNITS_DO_NOT_CONVERT, units)
    base_cost, base_step = convert(base_native, base, service, notes)
    if figure.currency == base.currency and _same_prices(cost_step, base_step):
        ratio = cost_native / base_native  # exact, free of exchange-rate noise
    else:
        ratio = cost / base_cost
    if claimed is not None:
        disagreement = claim_disagreement(ratio, claimed, baseline.relative)  # type: ignore[arg-type]
        if disagreement:
            notes.add(disagreement)
    both = (cost_step, base_step)
    return _row(service, figure, baseline, per_unit, cost, base_cost, ratio, claimed, notes, both)


def _same_prices(cost: Adjustment | None, base: Adjustment | None) -> bool:
    """Both amounts in the same country's prices of the same year (or neither adjusted)."""
    if cost is None or base is None:
        return cost is None and base is None
    return (cost.country, cost.price_year) == (base.country, base.price_year)


def _row(
    service: Service,
    figure: Figure,
    baseline: Baseline,
    per_unit: TargetUnit,
    cost: Range,
    base_cost: Range,
    ratio: Range,
    claimed: Range | None,
    notes: Notes,
    steps: tuple[Adjustment | None, Adjustment | None] = (None, None),
) -> Row:
    restated = restatements(service, baseline)
    flagged: list[Service | Figure | Baseline] = [service, figure, baseline]
    flagged += [*([baseline.cost] if baseline.cost else []), *restated]
    flags = Notes()
    for flag in (flag for item in flagged for flag in item.flags):
        flags.add(flag)
    caveats = tuple(dict.fromkeys(c for b in (baseline, *restated) for c in b.caveats))
    return Row(
        service=service,
        figure=figure,
        baseline=baseline,
        unit=per_unit.label,
        cost=cost,
        baseline_cost=base_cost,
        ratio=ratio,
        claimed_ratio=claimed,
        notes=tuple(notes.items),
        group=group_of(per_unit.counts, per_unit.days, per_unit.label),
        flags=tuple(flags.items),
        cost_adjustment=steps[0],
        baseline_adjustment=steps[1],
        caveats=caveats,
        sources=row_sources(figure, baseline, restated),
        conversions=tuple(notes.conversions),
    )


def sort_rows(rows: Iterable[Row], key: SortKey) -> list[Row]:
    """Order rows by section (unit), then deterministically by the chosen key, ties by id."""
    order = list(Category)

    def tie(row: Row) -> tuple[str, str]:
        return row.service.id, row.baseline.id

    keys: dict[SortKey, Callable[[Row], tuple[Any, ...]]] = {
        SortKey.CATEGORY: lambda r: (
            order.index(r.service.category),
            r.service.name.casefold(),
            *tie(r),
        ),
        SortKey.RATIO: lambda r: (r.ratio.low, r.ratio.high, *tie(r)),
        SortKey.SAVING: lambda r: (-r.saving_pct.high, -r.saving_pct.low, *tie(r)),
        SortKey.COST: lambda r: (r.cost.low, r.cost.high, *tie(r)),
        SortKey.NAME: lambda r: (r.service.name.casefold(), *tie(r)),
    }
    # Sections first, so that no order ever ranks a cost per episode with a cost per day.
    return sorted(rows, key=lambda r: (r.group, *keys[key](r)))
