"""The command line: options in, a call to the core, a rendering out, errors to exit codes."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from cmhcost import dataset
from cmhcost.errors import CmhcostError, DatasetError

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    help="What community mental health services cost against hospital care (WHO guidance, 2021).",
)

_state = {"debug": False}

F = TypeVar("F", bound=Callable[..., Any])


def _reported(command: F) -> F:
    """Turn cmhcost's errors into messages and exit 1; anything else into a bug-report line."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CmhcostError as exc:
            _error(str(exc))
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if _state["debug"]:
                raise
            _error(
                f"internal error ({type(exc).__name__}: {exc}). This is a bug in cmhcost; "
                "please report it with the command you ran (rerun with --debug for the traceback)."
            )
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def _error(message: str) -> None:
    from cmhcost.render import error_console

    for line in message.splitlines():
        error_console().print(line, markup=False, highlight=False)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    _state["debug"] = debug


DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        help="Services file; repeat to overlay (later files add or replace records by id). "
        "Default: the shipped data.",
    ),
]
RatesOption = Annotated[
    Path | None, typer.Option("--rates", help="Exchange-rates file. Default: the shipped rates.")
]


def _services_paths(data: list[Path] | None) -> list[Path]:
    return list(data) if data else [dataset.shipped_services()]


@app.command()
@_reported
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Services files to check. Default: the shipped data.")
    ] = None,
    rates: RatesOption = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources", help="Folder of the source documents: check every quote against them."
        ),
    ] = None,
) -> None:
    """Check services files: schema, cross-references, rates and (optionally) quotes."""
    paths = _services_paths(files)
    problems = []
    try:
        data = dataset.load_services(paths)
    except DatasetError as exc:
        problems, data = exc.problems, None
    try:
        rate_file = dataset.load_rates(rates or dataset.shipped_rates())
    except DatasetError as exc:
        problems += exc.problems
        rate_file = None
    if data is not None and rate_file is not None:
        problems += dataset.check_currencies(data, rate_file)
    if data is not None and sources is not None:
        problems += dataset.check_sources(data, sources)
    if problems:
        raise DatasetError(problems)
    assert data is not None
    figures = sum(1 for _ in dataset.iter_figures(data))
    _error(f"ok: {len(data.services)} records, {figures} figures in {', '.join(map(str, paths))}")


def main() -> None:
    """Entry point of the `cmhcost` console script."""
    app(prog_name="cmhcost")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
