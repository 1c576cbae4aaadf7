"""The command line: options in, a call to the core, a rendering out, errors to exit codes.

Only this package imports typer. Only typer and the small modules below load at start-up; each
command imports what it needs, so that a command never loads the parser, the models or the network
stack unless it uses them. The modules that define commands keep their annotations as objects (no
`from __future__ import annotations`): typer would compile and evaluate every annotation string of
every command at each start.
"""

import errno
import io
import os
import sys
from typing import Annotated

import typer

from cmhcost.cli.data import paths, schema, validate
from cmhcost.cli.exits import state
from cmhcost.cli.hints import install as install_hints
from cmhcost.cli.pilots import init_pilot, pilot
from cmhcost.cli.prices import prices_app
from cmhcost.cli.rates import rates_app
from cmhcost.cli.reports import audit, compare_command, convert, plot, services, show
from cmhcost.cli.uncertainty import psa, sensitivity

__all__ = ["app", "main"]

install_hints()
app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    help="What community mental health services cost against hospital care (WHO guidance, 2021).",
)


def _print_version(asked: bool) -> None:
    if asked:
        from cmhcost import __version__

        sys.stdout.write(f"cmhcost {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print cmhcost's version and exit.",
        ),
    ] = False,
) -> None:
    from cmhcost.loading.paths import new_command

    state["debug"] = debug
    new_command()


# Registered here, in the order `cmhcost --help` lists them.
app.command()(validate)
app.command("compare")(compare_command)
app.command()(plot)
app.command()(services)
app.command()(show)
app.command()(convert)
app.add_typer(rates_app, name="rates")
app.add_typer(prices_app, name="prices")
app.command()(audit)
app.command()(pilot)
app.command("init-pilot")(init_pilot)
app.command()(sensitivity)
app.command()(psa)
app.command()(schema)
app.command()(paths)


def main() -> None:
    """Entry point of the `cmhcost` console script.

    Standard output that is closed (`>&-`), full (`> /dev/full`) or gone ends the command with one
    line on standard error and exit 1 (a reader that went away: quietly), `--help` included.
    """
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    try:
        app(prog_name="cmhcost")
    except BrokenPipeError:
        _stdout_failed(None)
    except OSError as exc:
        _stdout_failed(exc)
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _stdout_failed(None)
        except OSError as exc:
            _stdout_failed(exc)


class _ClosedOutput(io.TextIOBase):
    """Standard output when the shell closed it: every write fails as it would on the descriptor."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _stdout_failed(exc: OSError | None) -> None:
    from cmhcost.domain.errors import ExitStatus

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        sys.stdout = _ClosedOutput()
    if exc is None:
        raise SystemExit(ExitStatus.SUCCESS)
    sys.stderr.write(f"cmhcost: cannot write to standard output: {exc.strerror or exc}\n")
    raise SystemExit(ExitStatus.ERROR)
