"""docs/methods.md: every worked example in it is what cmhcost prints today."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app

METHODS = Path(__file__).resolve().parents[1] / "docs" / "methods.md"
BLOCK = re.compile(r"```console\n\$ cmhcost (?P<command>[^\n]+)\n(?P<output>.*?)```", re.S)
EXAMPLES = [(m["command"], m["output"]) for m in BLOCK.finditer(METHODS.read_text("utf-8"))]


def test_the_methods_have_a_worked_example_per_step() -> None:
    assert len(EXAMPLES) >= 6
    text = " ".join(command for command, _ in EXAMPLES)
    assert "--basis market" in text and "--to I$" in text and "--to NZD" in text


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_worked_example_is_what_cmhcost_prints(command: str, output: str) -> None:
    result = CliRunner().invoke(app, shlex.split(command))
    assert result.exit_code == 0, result.output
    assert result.stdout == output
