"""`cmhcost validate`: every check of the services and rates files, all problems in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cmhcost import dataset
from cmhcost.errors import DatasetError, Problem
from cmhcost.models import RatesFile
from cmhcost.records import Dataset, iter_figures


@dataclass(frozen=True)
class Valid:
    """What a successful validation read."""

    records: int
    figures: int


def validate(paths: Sequence[Path], rates: Path, sources: Path | None = None) -> Valid:
    """Schema, cross-references, currencies with rates and (with `sources`) every quote."""
    problems: list[Problem] = []
    data: Dataset | None = None
    rate_file: RatesFile | None = None
    try:
        data = dataset.load_services(paths)
    except DatasetError as exc:
        problems += exc.problems
    try:
        rate_file = dataset.load_rates(rates)
    except DatasetError as exc:
        problems += exc.problems
    if data is not None and rate_file is not None:
        problems += dataset.check_currencies(data, rate_file)
    if data is not None and sources is not None:
        problems += dataset.check_sources(data, sources)
    if problems or data is None:
        raise DatasetError(problems)
    return Valid(len(data.services), sum(1 for _ in iter_figures(data)))
