"""The stamp's version, and the command line a report names as the one that made it."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Annotated

import typer
from typer.testing import CliRunner

from cmhcost.cli.stamping import command_line, version


def test_the_stamp_names_the_version_that_cmhcost_version_prints(runner: CliRunner) -> None:
    from cmhcost.cli import app

    printed = runner.invoke(app, ["--version"]).stdout
    assert printed == f"cmhcost {version()}\n"
    assert version() == importlib.metadata.version("cmhcost")  # what pip installed


def test_the_command_line_names_arguments_and_options_but_not_where_the_report_went(
    tmp_path: Path,
) -> None:
    app = typer.Typer()
    seen: list[str] = []

    @app.command()
    def pilot(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument()],
        currency: Annotated[str, typer.Option("--currency")] = "USD",
        output: Annotated[Path | None, typer.Option("--output")] = None,
    ) -> None:
        seen.append(command_line(ctx))

    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, ["my pilot.yaml", "--currency", "BRL", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert seen == ["cmhcost 'my pilot.yaml' --currency BRL"]
    assert command_line(None) == "cmhcost"
