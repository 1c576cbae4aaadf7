"""Every `cmhcost ...` example of the README runs as written on the shipped data."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app

ROOT = Path(__file__).resolve().parents[1]
# Left out: the network (rates update) and the user's shell start-up files (completion).
NOT_RUN = ("cmhcost rates update", "cmhcost --install-completion", "cmhcost --show-completion")


def readme_commands() -> list[str]:
    """The `cmhcost` lines of the README's sh blocks, comments cut, templates written first."""
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    lines = [line.split(" # ")[0].strip() for block in blocks for line in block.splitlines()]
    commands = [line for line in lines if line.startswith("cmhcost ")]
    return sorted(commands, key=lambda c: not c.startswith("cmhcost init-pilot"))


def test_the_readme_has_examples_of_every_kind() -> None:
    commands = readme_commands()
    assert len(commands) >= 15
    assert any(c.startswith("cmhcost rates add") for c in commands)


def test_every_readme_command_runs(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")  # the generated documents CI checks
    monkeypatch.chdir(tmp_path)  # no data/ or examples/ here: the commands name shipped files
    for command in readme_commands():
        if command.startswith(NOT_RUN):
            continue
        result = runner.invoke(app, shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
