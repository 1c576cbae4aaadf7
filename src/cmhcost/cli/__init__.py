"""The command line: options in, a call to the core, a rendering out, errors to exit codes.

Only this package imports typer. Only typer and the small modules below load at start-up; each
command imports what it needs, so that a command never loads the parser, the models or the network
stack unless it uses them. The modules that define commands keep their annotations as objects (no
`from __future__ import annotations`): typer would compile and evaluate every annotation string of
every command at each start.
"""

import sys
from typing import Annotated

import typer

from cmhcost.cli.data import schema, validate
from cmhcost.cli.exits import state
from cmhcost.cli.hints import install as install_hints
from cmhcost.cli.pilots import init_pilot, pilot
from cmhcost.cli.rates import rates_app
from cmhcost.cli.reports import audit, compare_command, convert, plot, services, show

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
    state["debug"] = debug


# Registered here, in the order `cmhcost --help` lists them.
app.command()(validate)
app.command("compare")(compare_command)
app.command()(plot)
app.command()(services)
app.command()(show)
app.command()(convert)
app.add_typer(rates_app, name="rates")
app.command()(audit)
app.command()(pilot)
app.command("init-pilot")(init_pilot)
app.command()(schema)


def main() -> None:
    """Entry point of the `cmhcost` console script."""
    app(prog_name="cmhcost")
