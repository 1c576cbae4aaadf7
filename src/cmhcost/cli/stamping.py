"""The stamp and the command line a report records: what produced it, and how it was asked for."""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cmhcost.engine.heading import DataFile, Stamp

if TYPE_CHECKING:
    import typer

    from cmhcost.conversion.exchange import RateTable
    from cmhcost.conversion.prices import Tables

DIGEST_CHARS = 12  # of a file's SHA-256: enough to tell two versions of a data file apart
WHERE_IT_GOES = frozenset({"output", "check"})  # options that place a report, not shape it


def version() -> str:
    """cmhcost's version: the one the package declares (and the wheel's metadata is built from)."""
    from cmhcost import __version__

    return __version__


def data_file(path: Path, shipped: bool = False) -> DataFile:
    """A data file by name, with the start of its digest."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:DIGEST_CHARS]
    return DataFile(path.name, digest, shipped)


def make_stamp(
    services: Sequence[Path],
    rates: RateTable | None = None,
    rate_files: Sequence[Path] = (),
    tables: Tables | None = None,
    index: Sequence[Path] = (),
) -> Stamp:
    """The stamp of a report made from these files (and, on a price basis, these tables)."""
    from cmhcost.loading.paths import USER, rate_layer_paths, shipped_services

    shipped = shipped_services()
    layers = rate_layer_paths(rate_files) if rates is not None else []
    return Stamp(
        version=version(),
        services=tuple(data_file(p, p == shipped) for p in services),
        rates_to=rates.latest_date() if rates is not None else None,
        rate_layers=tuple(
            "user data directory" if name == USER else path.name
            for name, path in layers[1:]  # the shipped layer is cmhcost's own
        ),
        cpi=tables.cpi.described if tables is not None else None,
        ppp=tables.ppp.described if tables is not None else None,
        index=tuple(path.name for path in index),
    )


def command_line(ctx: typer.Context | None) -> str:
    """The command as the user typed it, without where its report went (--output, --check)."""
    if ctx is None:
        return "cmhcost"
    path = ["cmhcost", *ctx.command_path.split()[1:]]
    words: list[str] = []
    arguments: list[str] = []
    for param in ctx.command.params:
        name = param.name or ""
        source = ctx.get_parameter_source(name)
        # By name: typer may carry its own copy of click's classes.
        if name in WHERE_IT_GOES or source is None or source.name != "COMMANDLINE":
            continue
        value = ctx.params.get(name)
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if param.param_type_name == "argument":
            arguments += [_word(v) for v in values]
            continue
        if getattr(param, "is_flag", False):  # `--x`, or `--no-x` when the flag was turned off
            opts = param.opts if value or not param.secondary_opts else param.secondary_opts
            words.append(max(opts, key=len))
            continue
        flag = max(param.opts, key=len)
        words += [part for item in values for part in (flag, _word(item))]
    return shlex.join([*path, *arguments, *words])


def _word(value: object) -> str:
    text = getattr(value, "value", value)  # an enum's value as typed
    if hasattr(text, "strftime"):
        return text.strftime("%Y-%m-%d")  # type: ignore[no-any-return]
    return str(text)
