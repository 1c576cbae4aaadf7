"""Golden files pin each output format of `compare` on the small fixture dataset.

After an intended change, regenerate them with `CMHCOST_UPDATE_GOLDEN=1 python -m pytest
tests/report/test_golden.py` and review the diff like code. The figures in them are checked by hand in
test_compare.py (Tupu Ake 297/1000 = 0.2970, Link House 1/3, CAPS III, Maryland).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from tests.conftest import FIXTURES, same_drawing

GOLDEN = Path(__file__).parents[1] / "golden"
UPDATE = os.environ.get("CMHCOST_UPDATE_GOLDEN") == "1"
DATA = [
    "--no-shipped-data",
    "--data",
    "services.yaml",
    "--rates",
    "rates.yaml",
]  # run in the fixtures' folder


@pytest.mark.parametrize(
    ("fmt", "name", "extra"),
    [
        ("table", "compare.txt", []),
        ("markdown", "compare.md", []),
        ("csv", "compare.csv", []),
        ("json", "compare.json", []),
        (
            "json",
            "compare-eur-month.json",
            ["--currency", "EUR", "--per", "month", "--sort", "ratio"],
        ),
    ],
)
def test_compare_output_matches_its_golden_file(
    runner: CliRunner, fmt: str, name: str, extra: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES / "valid")  # the command each report records is the same anywhere
    result = runner.invoke(app, ["compare", *DATA, "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / name
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8"), (
        f"{name} differs: regenerate with CMHCOST_UPDATE_GOLDEN=1 and review the diff"
    )


EXAMPLES = Path(__file__).parents[2] / "examples"
PICTURES = [
    ("brazil-peer-crisis-respite.yaml", "--plot-break-even", "pilot-brazil-break-even.svg"),
    ("india-supported-housing.yaml", "--plot", "pilot-india-among-ppp.svg"),
]


@pytest.mark.parametrize(("example", "option", "name"), PICTURES)
def test_the_examples_pictures_match_their_golden_svg(
    tmp_path: Path, example: str, option: str, name: str
) -> None:
    # Drawn deterministically (fixed SVG id salt, no date): the same bytes on every run.
    # In a process of its own, as a user runs it: matplotlib's font cache is per process, and
    # other tests in this one may have built it from another folder.
    drawn = tmp_path / name
    args = ["pilot", str(EXAMPLES / example), "--basis", "ppp", option, str(drawn)]
    result = subprocess.run(
        [sys.executable, "-m", "cmhcost", *args, "--format", "json"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    golden = GOLDEN / name
    if UPDATE:
        golden.write_bytes(drawn.read_bytes())
    assert same_drawing(drawn.read_bytes(), golden.read_bytes()), (
        f"{name} differs: regenerate with CMHCOST_UPDATE_GOLDEN=1 and review the drawing"
    )
