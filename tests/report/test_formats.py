"""Every report in every format, through the one output path: --format, --output and --check."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import UsageError
from cmhcost.loading.paths import shipped_services
from cmhcost.loading.reader import load_services
from cmhcost.report import SERVES, OutputFormat, Report
from cmhcost.report import json as json_format
from cmhcost.report.delivery import Destination, PipeClosed, deliver
from cmhcost.report.interface import Display, Formatter
from tests.conftest import FIXTURES

SERVICES = str(FIXTURES / "valid" / "services.yaml")
RATES = str(FIXTURES / "valid" / "rates.yaml")
PILOT = str(FIXTURES / "valid" / "pilot-minimal.yaml")
REPORTS = {
    "compare": ["compare", "--no-shipped-data", "--data", SERVICES, "--rates", RATES],
    "pilot": ["pilot", "examples/brazil-peer-crisis-respite.yaml"],
    "audit": ["audit", "--no-shipped-data", "--data", SERVICES, "--rates", RATES, "--all"],
    "convert": ["convert", "297", "NZD", "--to", "USD", "--date", "2021-02-01", "--rates", RATES],
    "services": ["services", "--no-shipped-data", "--data", SERVICES],
    "show": ["show", "tupu-ake", "--no-shipped-data", "--data", SERVICES],
    "rates list": ["rates", "list", "--rates", RATES],
}
ROOT = Path(__file__).parents[2]
CORE = ("table", "markdown", "csv", "json")


def test_the_core_formats_implement_every_report() -> None:
    reports = ("compare", "pilot", "audit", "convert", "services", "show", "rates")
    for fmt in CORE:
        formatter = type(OutputFormat(fmt).formatter(Display()))
        missing = [r for r in reports if getattr(formatter, r) is getattr(Formatter, r)]
        assert missing == [], f"{fmt} lacks {missing}"


@pytest.mark.parametrize("report", list(REPORTS))
@pytest.mark.parametrize("fmt", CORE)
def test_every_report_in_every_format(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, report: str, fmt: str
) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, [*REPORTS[report], "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.endswith("\n") and "\x1b[" not in out
    if fmt == "json":
        assert json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n" == out
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows)
    elif fmt == "markdown":
        assert out.startswith(("# ", "| ", "- "))


@pytest.mark.parametrize("report", list(REPORTS))
def test_output_and_check_mean_the_same_on_every_report(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, report: str
) -> None:
    monkeypatch.chdir(ROOT)
    target = tmp_path / "report.md"
    args = [*REPORTS[report], "--format", "markdown"]
    written = runner.invoke(app, [*args, "--output", str(target)])
    assert written.exit_code == 0, written.output
    assert written.stdout == "" and f"wrote {target}" in written.stderr
    assert target.read_text(encoding="utf-8") == runner.invoke(app, args).stdout
    same = runner.invoke(app, [*args, "--check", str(target)])
    assert same.exit_code == 0 and "up to date" in same.stderr
    target.write_text(target.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    drift = runner.invoke(app, [*args, "--check", str(target)])
    assert drift.exit_code == 1 and "-edited" in drift.stderr and "out of date" in drift.stderr
    both = runner.invoke(app, [*args, "--check", str(target), "--output", str(target)])
    assert both.exit_code == 2 and "exclude each other" in both.stderr


def test_convert_prints_amounts_as_written_not_in_exponent_notation(runner: CliRunner) -> None:
    args = ["convert", "1e3", "GBP", "--to", "GBP", "--rates", RATES]
    document = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert document["amount"] == "1000" and document["result"] == "1000.00"
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    assert text.stdout == "1000 GBP = 1,000.00 GBP (same currency)\n"


def test_convert_text_names_the_rate_date_and_source(runner: CliRunner) -> None:
    # test rates of 2021-02-01: 1.2 USD and 1.6 NZD a euro, so 297 NZD = 297 x 1.2 / 1.6 = 222.75 USD
    result = runner.invoke(
        app, ["convert", "297", "NZD", "--to", "USD", "--date", "2021-02-01", "--rates", RATES]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("297 NZD = 222.75 USD (rate 0.75, 2021-02-01, ")


def test_non_ascii_stays_as_is_in_json(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["show", "caps-iii-brasilandia", "--no-shipped-data", "--data", SERVICES, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"name": "CAPS III Brasilândia"' in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "--country", "zz"],
        ["services", "--country", "XX"],
        ["compare", "--country", "GB", "--country", "Britain"],
    ],
)
def test_unknown_country_codes_are_bad_usage(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "ISO 3166-1" in result.stderr and result.stdout == ""


def test_a_closed_pipe_ends_the_report_quietly() -> None:
    # The reader closes the pipe before cmhcost writes, as `cmhcost compare | head -0` would.
    done = subprocess.run(
        f"set -o pipefail; {sys.executable} -m cmhcost compare --format json | head -c 0",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0 and done.stderr == ""
    code = f"set -o pipefail; {sys.executable} -m cmhcost compare | head -1"
    first = subprocess.run(
        code, shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=ROOT
    )
    assert first.returncode == 0 and first.stderr == ""
    assert first.stdout.count("\n") == 1


# What the JSON records hold: texts (any Unicode but lone surrogates), integers, booleans, null.
JSON_SCALARS = (
    st.text(st.characters(exclude_categories=["Cs"]))
    | st.integers(-(2**63), 2**63 - 1)
    | st.booleans()
    | st.none()
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(
    head=st.dictionaries(st.text(), JSON_VALUES, max_size=3),
    rows=st.lists(JSON_VALUES, max_size=4),
)
def test_the_json_writer_prints_what_json_dumps_prints(
    head: dict[str, object], rows: list[object]
) -> None:
    document = {**head, "rows": rows}
    streamed = {**head, "rows": iter(rows)}  # a report's rows come as an iterator
    expected = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert "".join(json_format.write(streamed)) == expected
    assert "".join(json_format.write(document)) == expected


# --- Every record, audit, pilot and rate listing in every core format ---


@pytest.mark.parametrize("fmt", CORE)
def test_every_shipped_record_shows_and_lists_in_every_format(runner: CliRunner, fmt: str) -> None:
    data = load_services([shipped_services()])
    # Every record through the formatter `show` hands it to; the command itself, on one record.
    formatter = OutputFormat(fmt).formatter(Display())
    for record in data.services.values():
        shown = "".join(formatter.show(record))
        assert shown.endswith("\n")
        # A record with no figure has no line in the CSV of figures; every other shows its id.
        assert record.id in shown or (fmt == "csv" and not record.figures)
    first = next(iter(data.services.values()))
    result = runner.invoke(app, ["show", first.id, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout == "".join(formatter.show(first))
    listed = runner.invoke(app, ["services", "--format", fmt])
    assert listed.exit_code == 0, listed.output
    if fmt == "table":  # long ids wrap in their column; the heading counts them
        assert f"{len(data.services)} records" in listed.stdout.splitlines()[0]
    else:
        assert all(record.id in listed.stdout for record in data.services.values())


@pytest.mark.parametrize("fmt", CORE)
def test_the_shipped_audit_names_its_flags_and_budget_checks_in_every_format(
    runner: CliRunner, fmt: str
) -> None:
    data = load_services([shipped_services()])
    budgeted = next(s.id for s in data.services.values() if s.budget is not None)
    flag = next(f for s in data.services.values() for f in s.flags)
    result = runner.invoke(app, ["audit", "--all", "--format", fmt])
    assert result.exit_code == 0, result.output
    assert budgeted in result.stdout
    assert flag.split()[0] in result.stdout


NO_BASELINE_PILOT = """\
version: 1
services:
  - id: quiet-house
    name: Quiet house
    place: Leeds
    country: GB
    category: crisis
    budget:
      currency: GBP
      lines: [{label: staff, amount: 292200}]
      capacity: {beds: 4, occupancy: 0.5}
"""


@pytest.mark.parametrize("fmt", CORE)
def test_a_pilot_without_a_baseline_in_every_format(
    runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "quiet.yaml"
    path.write_text(NO_BASELINE_PILOT)
    result = runner.invoke(app, ["pilot", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "Quiet house" in result.stdout
    if fmt == "csv":
        # 292 200 a year for 4 beds x 0.5 x 365.25 = 730.5 bed-nights: GBP 400 a bed-night, and
        # no baseline, so no ratio: the columns after the cost are empty.
        line = result.stdout.splitlines()[1]
        assert line.startswith("quiet-house,Quiet house,GBP,,market,bed-night,400.00,400.00,,")
    if fmt == "json":
        (pilot,) = json.loads(result.stdout)["pilots"]
        assert pilot["cost"] == {"low": "400.00", "high": "400.00"} and pilot["baselines"] == []


@pytest.mark.parametrize("fmt", CORE)
def test_the_quotes_of_a_currency_in_every_format(runner: CliRunner, fmt: str) -> None:
    args = ["rates", "list", "--rates", RATES, "--currency", "NZD", "--format", fmt]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # tests/fixtures/valid/rates.yaml: 1.6 NZD a euro on 2021-02-01 ("test rates February"),
    # 1.7 on 2021-03-01 ("test rates March"), in the layer named by the file's path.
    if fmt == "json":
        quotes = json.loads(result.stdout)["quotes"]
        ours = [(q["date"], q["rate"], q["layer"]) for q in quotes if q["layer"] != "shipped"]
        assert ours == [("2021-02-01", "1.6", RATES), ("2021-03-01", "1.7", RATES)]
        return
    lines = result.stdout.splitlines()
    february = next(line for line in lines if "test rates February" in line)
    march = next(line for line in lines if "test rates March" in line)
    assert "2021-02-01" in february and "1.6 " in february.replace(",", " ")
    assert "2021-03-01" in march and "1.7 " in march.replace(",", " ")
    if fmt != "table":  # where the path wraps in its column
        assert RATES in february


@pytest.mark.parametrize(
    "report", ["compare", "pilot", "audit", "convert", "services", "show", "rates"]
)
def test_a_format_without_a_report_refuses_it_as_bad_usage(report: str) -> None:
    with pytest.raises(UsageError, match=f"--format \\? does not apply to `cmhcost {report}"):
        getattr(Formatter(Display()), report)(None)


# --- Standard output: colour, a closed pipe ---


def test_colour_is_forced_by_force_color_and_refused_by_no_color(runner: CliRunner) -> None:
    args = ["compare", "--data", SERVICES, "--rates", RATES]
    forced = runner.invoke(app, args, env={"FORCE_COLOR": "1", "NO_COLOR": None})
    assert forced.exit_code == 0, forced.output
    assert "\x1b[" in forced.stdout
    refused = runner.invoke(app, args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert refused.exit_code == 0 and "\x1b[" not in refused.stdout


def test_a_reader_that_went_away_ends_the_report_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A real pipe whose reading end is closed, as `cmhcost compare | head -0` leaves it: writing
    # to it fails with EPIPE (Python ignores SIGPIPE), which the delivery turns into PipeClosed.
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    monkeypatch.setattr(sys, "stdout", stream)
    with pytest.raises(PipeClosed):
        deliver(Destination(OutputFormat.JSON), lambda formatter: iter(["{}\n"]))
    monkeypatch.undo()
    stream.close()  # its descriptor now points at /dev/null: the last flush fails no more


class GoneReader(io.StringIO):
    """Standard output held in memory (cmhcost run from another program) whose reader left."""

    def write(self, text: str) -> int:
        raise BrokenPipeError


def test_a_reader_that_went_away_from_an_in_memory_stream_ends_it_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", GoneReader())  # no file descriptor to point elsewhere
    with pytest.raises(PipeClosed):
        deliver(Destination(OutputFormat.JSON), lambda formatter: iter(["{}\n"]))


def test_check_against_a_directory_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, [*REPORTS["services"], "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path}: Is a directory" in result.stderr


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_each_format_serves_exactly_the_reports_it_declares(fmt: OutputFormat) -> None:
    formatter = type(fmt.formatter(Display()))
    implemented = {
        r for r in Report if getattr(formatter, r.value) is not getattr(Formatter, r.value)
    }
    assert implemented == set(SERVES[fmt])


def test_a_format_a_command_cannot_print_is_refused_before_any_file_is_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-services.yaml"  # reading it would exit 1, not 2
    result = runner.invoke(app, ["services", "--data", str(missing), "--format", "html"])
    assert result.exit_code == 2
    assert "'html' is not one of table, markdown, csv, json" in result.output
    listed = runner.invoke(app, ["services", "--help"], env={"COLUMNS": "200"})
    assert "[table|markdown|csv|json]" in listed.stdout and "html" not in listed.stdout
