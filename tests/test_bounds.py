"""Every input has bounds, and what was a hang is a message within a time bound."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import DatasetError
from cmhcost.loading.rates_file import parse_rates

EXAMPLES = Path(__file__).parents[1] / "examples"


@pytest.mark.parametrize("years", ["101", "100000", "100000000000000"])
def test_a_horizon_beyond_its_bound_is_refused_at_once(
    runner: CliRunner, tmp_path: Path, years: str
) -> None:
    text = (EXAMPLES / "brazil-peer-crisis-respite.yaml").read_text()
    pilot = tmp_path / "pilot.yaml"
    pilot.write_text(text.replace("horizon_years: 5 ", f"horizon_years: {years} ", 1))
    started = time.monotonic()
    result = runner.invoke(app, ["pilot", str(pilot), "--format", "json"])
    assert time.monotonic() - started < 20
    assert result.exit_code == 1, result.output
    assert "horizon_years" in result.stderr and "at most 100 years" in result.stderr


def test_the_rates_cycle_check_is_linear() -> None:
    # Each set on its own day, based on one currency, rates every later one; the last closes the
    # loop: the old walk followed every simple path (thousands), this one visits each code once.
    codes = "AUD BRL CAD CHF CNY DKK GBP HKD INR JPY KRW MXN NOK NZD SEK SGD".split()
    lines = ["version: 1", "sets:"]
    for i, base in enumerate(codes):
        pairs = " ".join(f"{code} 2" for code in codes[i + 1 :]) or f"{codes[0]} 2"
        day = f"2021-01-{i + 1:02d}"
        lines.append(f'  - {{date: {day}, base: {base}, source: s, method: m, rates: "{pairs}"}}')
    started = time.monotonic()
    with pytest.raises(DatasetError, match="converts through itself"):
        parse_rates("\n".join(lines) + "\n")
    assert time.monotonic() - started < 5


def test_an_index_obeys_the_number_and_year_rules(runner: CliRunner, tmp_path: Path) -> None:
    index = tmp_path / "idx.csv"
    index.write_text("# country: GB\nyear,index\n2015,1e-20\n2020²,100\n2021,1e999999\n1949,5\n")
    result = runner.invoke(
        app, ["convert", "100", "GBP", "--to", "I$", "--price-year", "2015", "--index", str(index)]
    )
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert any(":3:" in line and "beyond what cmhcost computes" in line for line in lines)
    assert any(":4:" in line and "'2020²' is not a year (1950-2100" in line for line in lines)
    assert any(":5:" in line and "beyond what cmhcost computes" in line for line in lines)
    assert any(":6:" in line and "'1949' is not a year" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (
            ["convert", "1", "GBP", "--to", "I$", "--price-year", "99999999999999999999"],
            "--price-year",
        ),
        (["convert", "1", "GBP", "--to", "I$", "--price-year", "1800"], "--price-year"),
        (
            ["convert", "1", "GBP", "--to", "I$", "--price-year", "2020", "--target-year", "2101"],
            "--target-year",
        ),
        (["compare", "--price-year", "1949"], "--price-year"),
    ],
)
def test_option_years_name_their_bounds(runner: CliRunner, args: list[str], option: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert option in result.output and ("1950" in result.output or "2100" in result.output)


def test_a_flood_of_problems_is_capped(tmp_path: Path) -> None:
    from cmhcost.domain.errors import Problem

    error = DatasetError([Problem("f.yaml", n, "-", "x", "bad") for n in range(1, 100_001)])
    lines = str(error).splitlines()
    assert len(lines) == 51 and lines[-1] == "... and 99,950 more problems (the first 50 are shown)"


def test_a_closed_or_ascii_standard_output_is_one_line_and_exit_1(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "cmhcost"]
    closed = subprocess.run(
        [*run, "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        timeout=60, preexec_fn=lambda: __import__("os").close(1),
    )  # fmt: skip
    assert closed.returncode == 1
    assert closed.stderr == "cmhcost: cannot write to standard output: standard output is closed\n"
    env = {**__import__("os").environ, "PYTHONIOENCODING": "ascii"}
    table = subprocess.run([*run, "compare"], capture_output=True, env=env, timeout=60)
    assert table.returncode == 0 and table.stdout.isascii() and b"+---" in table.stdout
    data = subprocess.run(
        [*run, "compare", "--format", "json"], capture_output=True, env=env, timeout=60
    )
    assert data.returncode == 1
    assert data.stderr.decode().count("\n") == 1 and b"PYTHONIOENCODING=utf-8" in data.stderr


def test_a_flood_of_bad_records_stops_being_checked(runner: CliRunner, tmp_path: Path) -> None:
    # 3 000 records of five problems each: checking stops at 10 000 problems (2 000 records).
    lines = ["version: 1", "services:", *(f"  - {{id: BAD{i}}}" for i in range(3000))]
    path = tmp_path / "flood.yaml"
    path.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    result = runner.invoke(app, ["validate", str(path)])
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    printed = result.stderr.splitlines()
    assert len(printed) == 51
    assert "1,000 more records not checked: correct the problems above first" in result.stderr
    assert printed[-1].endswith("more problems (the first 50 are shown)")


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["compare"], ["compare", "--format", "json"]]
)
def test_a_full_standard_output_is_one_line_and_exit_1(args: list[str]) -> None:
    with open("/dev/full", "w") as full:  # a character device that refuses every write: ENOSPC
        done = subprocess.run(
            [sys.executable, "-m", "cmhcost", *args], stdout=full, stderr=subprocess.PIPE,
            text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.endswith("cannot write to standard output: No space left on device\n")
    assert done.stderr.count("\n") == 1
