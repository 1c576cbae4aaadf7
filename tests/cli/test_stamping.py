"""The stamp's version, and the command line a report names as the one that made it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from cmhcost.cli.stamping import command_line, version


def test_a_source_tree_never_installed_has_an_unknown_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert version() == "unknown"


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
