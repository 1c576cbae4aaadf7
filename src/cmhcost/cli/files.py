"""The files a command reads (services and rate layers) and the one way it delivers its report."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cmhcost.cli.exits import note
from cmhcost.loading.paths import rate_layer_paths, shipped_services
from cmhcost.report.delivery import Destination, deliver

if TYPE_CHECKING:
    from cmhcost.conversion.exchange import RateTable
    from cmhcost.report.interface import Chunks, Formatter
    from cmhcost.schema.dataset import Dataset


def report(
    where: Destination, render: Callable[[Formatter], Chunks], given: Sequence[Path] = ()
) -> None:
    """The one way a command prints its report: format, then stdout, --output or --check."""
    deliver(where, render, _Read(given), say=note)


class _Read:
    """The files given and every file read up to the moment the report is written."""

    def __init__(self, given: Sequence[Path]) -> None:
        self.given = given

    def __iter__(self) -> Iterator[Path]:
        from cmhcost.loading.paths import files_read

        yield from self.given
        yield from files_read()


def services_paths(data: list[Path] | None) -> list[Path]:
    """The services files a command reads: those `with_shipped` gave, or the shipped data."""
    return list(data) if data else [shipped_services()]


def with_shipped(data: list[Path] | None, shipped: bool = True) -> list[Path] | None:
    """The files given to --data after the shipped services (unless left out), each read once;
    `cmhcost:NAME` names a shipped file from anywhere."""
    from cmhcost.domain.errors import UsageError
    from cmhcost.loading.paths import resolve

    given = [resolve(path) for path in data or ()]
    if not shipped and not given:
        raise UsageError("--no-shipped-data leaves nothing to read: give --data FILE")
    if not given:
        return None
    return list(dict.fromkeys([*([shipped_services()] if shipped else []), *given]))


def load_rate_table(rates: list[Path] | None) -> RateTable:
    """The one way every command reads rates: shipped, then the user's, then each --rates file."""
    from cmhcost.loading.rate_layers import load_rate_table as load_layers

    return load_layers(rates or ())


def load(data: list[Path] | None, rates: list[Path] | None) -> tuple[Dataset, RateTable]:
    """The services and the rates a command works on."""
    from cmhcost.loading import reader

    services = reader.load_services(services_paths(data))
    table = load_rate_table(rates)
    # What was read lives until the command ends: out of the cyclic collector's sight, it is not
    # rescanned again and again while the rows are built (a third of compare's time at 10 000).
    gc.freeze()
    return services, table


def inputs(data: list[Path] | None, rates: list[Path] | None, *more: Path) -> list[Path]:
    """Every file a command reads (rate layers included): an output path may be none of them."""
    from cmhcost.loading.paths import files_read

    layers = (path for _, path in rate_layer_paths(rates or ()))
    return [*services_paths(data), *layers, *more, *files_read()]


def data_label(paths: list[Path] | None) -> str:
    """The data files named in a drawing's footer (names only, so it is the same on any machine)."""
    return " + ".join(p.name for p in services_paths(paths))
