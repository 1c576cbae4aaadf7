"""Every report in every format, through the one output path: --format, --output and --check."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import UsageError
from cmhcost.report import SERVES, OutputFormat, Report
from cmhcost.report import json as json_format
from cmhcost.report.interface import Display, Formatter
from tests.conftest import FIXTURES

SERVICES = str(FIXTURES / "valid" / "services.yaml")
RATES = str(FIXTURES / "valid" / "rates.yaml")
PILOT = str(FIXTURES / "valid" / "pilot-minimal.yaml")
REPORTS = {
    "compare": ["compare", "--data", SERVICES, "--rates", RATES],
    "pilot": ["pilot", "examples/brazil-peer-crisis-respite.yaml"],
    "audit": ["audit", "--data", SERVICES, "--rates", RATES, "--all"],
    "convert": ["convert", "297", "NZD", "--to", "USD", "--date", "2021-02-01", "--rates", RATES],
    "services": ["services", "--data", SERVICES],
    "show": ["show", "tupu-ake", "--data", SERVICES],
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


def test_a_format_without_a_report_refuses_it_as_bad_usage() -> None:
    with pytest.raises(UsageError, match="--format \\? does not apply to `cmhcost show`"):
        Formatter(Display()).show(None)  # type: ignore[arg-type]


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
    result = runner.invoke(app, ["show", "caps-iii-brasilandia", "--data", SERVICES, "--json"])
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
