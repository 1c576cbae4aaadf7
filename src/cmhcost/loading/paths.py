"""Where cmhcost's files are: the data shipped inside the package, and the user's data directory."""

from __future__ import annotations

import atexit
from collections.abc import Sequence
from contextlib import ExitStack
from functools import cache
from pathlib import Path

from cmhcost.domain.errors import UsageError

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


SHIPPED_PREFIX = "cmhcost:"  # `cmhcost:services.yaml`, `cmhcost:examples/NAME.yaml`: from anywhere
EXAMPLES = "examples/"


def shipped_example(name: str) -> Path:
    """An example pilot that comes with cmhcost, found through the package's resources."""
    from importlib.resources import as_file, files

    return _extracted.enter_context(as_file(files("cmhcost.examples") / name))


def shipped_examples() -> list[str]:
    """The names of the example pilots that come with cmhcost."""
    from importlib.resources import files

    found = files("cmhcost.examples").iterdir()
    return sorted(item.name for item in found if item.name.endswith(".yaml"))


def resolve(path: Path) -> Path:
    """A file as given, or a shipped file named `cmhcost:services.yaml` or
    `cmhcost:examples/NAME.yaml`; an unknown shipped name is an error listing the known ones."""
    text = str(path)
    if not text.startswith(SHIPPED_PREFIX):
        return path
    name = text[len(SHIPPED_PREFIX) :]
    if name.startswith(EXAMPLES) and name[len(EXAMPLES) :] in shipped_examples():
        return shipped_example(name[len(EXAMPLES) :])
    if name in SHIPPED_FILES:
        return shipped(name)
    known = [*SHIPPED_FILES, *(EXAMPLES + n for n in shipped_examples())]
    raise UsageError(
        f"{text}: no such shipped file; the shipped files are "
        + ", ".join(SHIPPED_PREFIX + n for n in known)
    )


SHIPPED_FILES = ("services.yaml", "exchange_rates.yaml", "cpi.csv", "ppp.csv")


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


def new_command() -> None:
    """A command starts: it has read nothing yet (a process may run several, as tests do)."""
    _read.clear()


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
