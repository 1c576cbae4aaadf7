"""Every command the app registers has help text and a line in the README."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup, TyperOption
from typer.testing import CliRunner

from cmhcost.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def registered(group: TyperGroup, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every command and sub-command of the app, as `rates list` would be typed."""
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, TyperGroup):
            yield from registered(command, f"{prefix}{name} ")


def _group() -> TyperGroup:
    group = typer.main.get_group(app)
    assert isinstance(group, TyperGroup)
    return group


def test_the_app_registers_the_commands_we_know_of() -> None:
    names = {name for name, _ in registered(_group())}
    assert {"compare", "pilot", "init-pilot", "rates", "rates list", "rates update"} <= names


def test_every_command_has_help_and_a_readme_entry(runner: CliRunner) -> None:
    for name, command in registered(_group()):
        assert (command.help or "").strip(), f"`cmhcost {name}` has no help text"
        assert f"`cmhcost {name}" in README, f"`cmhcost {name}` is missing from the README"
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, result.output
        assert command.help.split("\n")[0].split(":")[0][:40] in " ".join(result.stdout.split())


def test_every_option_has_help(runner: CliRunner) -> None:
    for name, command in registered(_group()):
        for param in command.params:
            if isinstance(param, TyperOption) and not param.hidden:
                assert (param.help or "").strip(), f"`cmhcost {name} {param.opts[0]}` has no help"
