"""Where cmhcost's files are: the data shipped inside the package, and the user's data directory."""

from __future__ import annotations

import atexit
from collections.abc import Sequence
from contextlib import ExitStack
from functools import cache
from pathlib import Path

APP_NAME = "cmhcost"
RATES_NAME = "exchange_rates.yaml"
SHIPPED, USER = "shipped", "user"

_read: list[Path] = []  # every file a command has read, so that no report is written over one
_extracted = ExitStack()  # files of a zipped install, extracted once and removed at exit
atexit.register(_extracted.close)


@cache
def shipped(name: str) -> Path:
    """A file of the shipped data as a path on disk, found through the package's resources."""
    from importlib.resources import as_file, files

    return _extracted.enter_context(as_file(files("cmhcost.data") / name))


def shipped_services() -> Path:
    """The services file that comes with cmhcost."""
    return shipped("services.yaml")


def shipped_rates() -> Path:
    """The exchange-rates file that comes with cmhcost: the bottom layer of every rate table."""
    return shipped(RATES_NAME)


def user_data_dir() -> Path:
    """The user's cmhcost data directory (XDG_DATA_HOME/cmhcost on Linux), not created here."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_rates() -> Path:
    """The user's rates file: rates added with `rates add` or fetched with `rates update`."""
    return user_data_dir() / RATES_NAME


def rate_layer_paths(extra: Sequence[Path] = ()) -> list[tuple[str, Path]]:
    """The rate files by precedence, lowest first: shipped, the user's (if any), each file of rates given to the command."""
    layers = [(SHIPPED, shipped_rates())]
    if user_rates().exists():
        layers.append((USER, user_rates()))
    return layers + [(str(path), path) for path in extra]


def remember(path: Path) -> Path:
    """Note that the command read `path` (see `files_read`)."""
    _read.append(path)
    return path


def files_read() -> list[Path]:
    """Every file the command read or may read: an output may be none of them.

    The files read so far, the user's rates file (read by any command that converts) and every
    file shipped with cmhcost (its data, rates, price tables).
    """
    folder = shipped_services().parent
    own = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return [*_read, user_rates(), *own]
