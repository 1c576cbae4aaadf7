"""`cmhcost validate`: every check of the services and rates files, all problems in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhcost.conversion.exchange import RateTable
from cmhcost.domain.errors import DatasetError, Problem
from cmhcost.engine.costing import stated_figures
from cmhcost.loading import reader
from cmhcost.schema.dataset import Dataset, iter_figures
from cmhcost.schema.services import Budget, Figure


@dataclass(frozen=True)
class Valid:
    """What a successful validation read."""

    records: int
    figures: int


def validate(
    paths: Sequence[Path], rates: Sequence[Path] = (), sources: Path | None = None
) -> Valid:
    """Schema, cross-references, currencies with rates and (with `sources`) every quote.

    The rates are every layer: the shipped file, the user's, then each of `rates`.
    """
    from cmhcost.loading.rate_layers import load_rate_table

    problems: list[Problem] = []
    data: Dataset | None = None
    rate_file: RateTable | None = None
    try:
        data = reader.load_services(paths)
    except DatasetError as exc:
        problems += exc.problems
    try:
        rate_file = load_rate_table(rates)
    except DatasetError as exc:
        problems += exc.problems
    if data is not None:
        problems += check_price_years(data)
    if data is not None and rate_file is not None:
        problems += reader.check_currencies(data, rate_file)
    if data is not None and sources is not None:
        problems += reader.check_sources(data, sources)
    if problems or data is None:
        raise DatasetError(problems)
    return Valid(len(data.services), sum(1 for _ in iter_figures(data)))


PRICE_YEAR_HINT = (
    "no price year: add price_year (with price_year_basis: assumed and a price_year_note "
    "when the text gives none)"
)


def check_price_years(data: Dataset) -> list[Problem]:
    """Every stated figure, baseline cost and budget has a price year, stated or explained."""
    problems = []
    for service_id, service in data.services.items():
        items: list[tuple[list[int | str], Figure | Budget | None]] = [
            (["figures", i], f) for i, f in enumerate(stated_figures(service))
        ]
        items += [(["baselines", i, "cost"], b.cost) for i, b in enumerate(service.baselines)]
        items.append((["budget"], service.budget))
        problems += [
            data.origins[service_id].problem(service_id, [*loc, "price_year"], PRICE_YEAR_HINT)
            for loc, item in items
            if item is not None and item.price_year is None
        ]
    return problems
