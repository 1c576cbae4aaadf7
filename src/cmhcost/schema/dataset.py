"""The data as loaded: records by id, and where each was read (for messages with a line).

What the engine works on; it knows nothing of YAML (the reader, `loading.reader`, builds it and
hands each record a `Locator` that turns a path inside the record into a problem with its line).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cmhcost.domain.errors import Problem
from cmhcost.schema.services import Figure, Service


class Locator(Protocol):
    """Where a record was read: a path inside it becomes a problem with its file and line."""

    def line(self, loc: Sequence[int | str]) -> int:
        """The line of `loc` inside the record."""
        ...

    def problem(self, record: str, loc: Sequence[int | str], message: str) -> Problem:
        """A problem at `loc` inside the record."""
        ...


@dataclass
class Dataset:
    """Services from one or more files; later files add records or replace them by id."""

    services: dict[str, Service] = field(default_factory=dict)
    origins: dict[str, Locator] = field(default_factory=dict)

    def add(self, service: Service, origin: Locator) -> None:
        """Add a record, replacing any earlier record with the same id."""
        self.services[service.id] = service
        self.origins[service.id] = origin

    def update(self, other: Dataset) -> None:
        """Add every record of `other`, each replacing any earlier record with its id."""
        for service_id, service in other.services.items():
            self.add(service, other.origins[service_id])

    def figure(self, ref: str) -> Figure | None:
        """The figure named `record-id/figure-id`, if it exists."""
        record_id, _, figure_id = ref.partition("/")
        service = self.services.get(record_id)
        return next((f for f in service.figures if f.id == figure_id), None) if service else None


def iter_figures(dataset: Dataset) -> Iterator[tuple[str, Service, list[int | str], Figure]]:
    """Every figure of every record, baseline costs included, with its path in the record."""
    for service_id, service in dataset.services.items():
        for i, figure in enumerate(service.figures):
            yield service_id, service, ["figures", i], figure
        for i, baseline in enumerate(service.baselines):
            if baseline.cost is not None:
                yield service_id, service, ["baselines", i, "cost"], baseline.cost
