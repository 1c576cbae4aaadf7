"""Which services a report covers: the categories and countries the user chose."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cmhcost.domain.choices import Selection
from cmhcost.schema.services import Service


def selected(services: Iterable[Service], selection: Selection) -> Iterator[Service]:
    """The services in one of the chosen categories (or tags) and countries; all when none."""
    for service in services:
        if selection.categories and not service.in_category(selection.categories):
            continue
        if selection.countries and service.country not in selection.countries:
            continue
        yield service
