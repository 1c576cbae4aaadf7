"""Which services a report covers: the categories and countries the user chose."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cmhcost.domain.choices import Options
from cmhcost.schema.services import Service


def selected(services: Iterable[Service], options: Options) -> Iterator[Service]:
    """The services in one of the chosen categories (or tags) and countries; all when none."""
    for service in services:
        if options.categories and not service.in_category(options.categories):
            continue
        if options.countries and service.country not in options.countries:
            continue
        yield service
