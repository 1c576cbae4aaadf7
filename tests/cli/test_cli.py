"""The command line: exit codes, streams, the JSON contract, --output and --check."""

from __future__ import annotations

import json
import random
import re
import runpy
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from tests.conftest import FIXTURES

DATA = [
    "--no-shipped-data",
    "--data",
    str(FIXTURES / "valid" / "services.yaml"),
    "--rates",
    str(FIXTURES / "valid" / "rates.yaml"),
]


def test_compare_json_follows_the_documented_contract(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", *DATA, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == [
        *("currency", "per", "rates_date", "basis", "price_year", "title", "projections"),
        *("command", "stamp"),
        *("rows", "not_compared"),
    ]
    services, rates = (
        str(FIXTURES / "valid" / "services.yaml"),
        str(FIXTURES / "valid" / "rates.yaml"),
    )
    assert document["command"] == (
        f"cmhcost compare --data {services} --no-shipped-data --rates {rates} --format json"
    )
    assert document["stamp"]["services"][0]["name"] == "services.yaml"
    assert document["stamp"]["rate_layers"] == ["rates.yaml"]
    tupu = next(r for r in document["rows"] if r["id"] == "tupu-ake")
    assert tupu["ratio"] == {"low": "0.2970", "high": "0.2970"}
    assert tupu["saving_pct"] == {"low": "70.30", "high": "70.30"}
    assert tupu["cost"] == {"low": "222.75", "high": "222.75"}
    assert tupu["source"]["lines"] == [2664, 2664]
    assert result.stdout.endswith("\n")


def _shuffled_records(text: str, seed: int) -> str:
    """The services file with its records in another order (each record's lines kept whole):
    reversed, then shuffled, so that every pair of records appears in both orders."""
    head, *records = text.split("\n  - id: ")
    order = list(range(len(records)))[::-1]
    if seed:
        random.Random(seed).shuffle(order)
    return head + "".join("\n  - id: " + records[i].rstrip("\n") for i in order) + "\n"


def _lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.strip())


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "table"])
def test_reports_do_not_depend_on_the_order_of_the_records(
    runner: CliRunner, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (FIXTURES / "valid" / "services.yaml").read_text(encoding="utf-8")
    reports = set()
    for seed in range(3):
        shuffled = _shuffled_records(text, seed)
        assert shuffled != text and _lines(shuffled) == _lines(text)
        folder = tmp_path / str(seed)
        folder.mkdir()
        (folder / "services.yaml").write_text(shuffled, encoding="utf-8")
        monkeypatch.chdir(folder)  # one command line for all three
        rates = str(FIXTURES / "valid" / "rates.yaml")
        result = runner.invoke(
            app,
            [
                "compare",
                "--no-shipped-data",
                "--data",
                "services.yaml",
                "--rates",
                rates,
                "--format",
                fmt,
            ],
        )
        assert result.exit_code == 0, result.output
        assert "\x1b[" not in result.stdout
        reports.add(re.sub(r"[0-9a-f]{12}", "DIGEST", result.stdout))  # the files' digests differ
    assert len(reports) == 1


def test_a_planted_cache_changes_nothing_and_nothing_is_cached(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, xdg, own = tmp_path / "home", tmp_path / "xdg", tmp_path / "own"
    for folder in (home / ".cache" / "cmhcost", xdg / "cmhcost", own):
        folder.mkdir(parents=True)
        (folder / "planted.txt").write_text('{"rows": "planted"}\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    monkeypatch.setenv("CMHCOST_CACHE_DIR", str(own))

    def tree() -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    before = tree()
    for _ in range(2):
        result = runner.invoke(app, ["compare", *DATA, "--format", "json"])
        assert result.exit_code == 0, result.output
        assert "planted" not in result.stdout
        assert json.loads(result.stdout)["rows"][0]["id"] == "link-house"
    assert tree() == before


def test_output_and_check(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "table.md"
    written = runner.invoke(
        app, ["compare", *DATA, "--format", "markdown", "--output", str(target)]
    )
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    same = runner.invoke(app, ["compare", *DATA, "--format", "markdown", "--check", str(target)])
    assert same.exit_code == 0, same.output
    target.write_text(target.read_text().replace("0.30", "0.31"))
    drift = runner.invoke(app, ["compare", *DATA, "--format", "markdown", "--check", str(target)])
    assert drift.exit_code == 1
    assert "out of date" in drift.stderr and "+" in drift.stderr


def test_bad_data_exits_1_with_located_messages_on_stderr(runner: CliRunner) -> None:
    bad = FIXTURES / "invalid" / "country-no-boolean.yaml"
    result = runner.invoke(app, ["compare", "--no-shipped-data", "--data", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{bad}:6: pilot: country:" in result.stderr
    assert "Traceback" not in result.output


def test_bad_usage_exits_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["compare", "--per", "fortnight"]).exit_code == 2
    assert runner.invoke(app, ["compare", "--currency", "DOLLARS"]).exit_code == 2
    assert runner.invoke(app, ["convert", "ten", "USD", "--to", "EUR"]).exit_code == 2


def test_convert_reproduces_the_guidance_for_tupu_ake(runner: CliRunner) -> None:
    # "NZ$ 297 (US$ 213)f ... f Conversion as of February 2021."
    result = runner.invoke(
        app, ["convert", "297", "NZD", "--to", "USD", "--date", "2021-02-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == ["amount", "currency", "to", "result", "rate", "rate_date", "source"]
    assert abs(float(document["result"]) - 213) < 213 * 0.01
    assert document["rate_date"] == "2021-02-01"


def test_a_missing_rate_exits_1_and_names_the_currency(runner: CliRunner) -> None:
    result = runner.invoke(app, ["convert", "10", "USD", "--to", "EUR", "--date", "1980-01-01"])
    assert result.exit_code == 1
    assert "no USD rate on or shortly before 1980-01-01" in result.stderr


def test_show_and_services(runner: CliRunner) -> None:
    shown = runner.invoke(
        app,
        [
            "show",
            "tupu-ake",
            "--no-shipped-data",
            "--data",
            str(FIXTURES / "valid" / "services.yaml"),
        ],
    )
    assert shown.exit_code == 0, shown.output
    assert "NZD 297 per bed-night (US$ 213 as of 2021-02)" in shown.stdout
    missing = runner.invoke(
        app,
        ["show", "tupu", "--no-shipped-data", "--data", str(FIXTURES / "valid" / "services.yaml")],
    )
    assert missing.exit_code == 1 and "did you mean tupu-ake" in missing.stderr
    listed = runner.invoke(
        app,
        [
            "services",
            "--json",
            "--category",
            "crisis",
            "--no-shipped-data",
            "--data",
            str(FIXTURES / "valid" / "services.yaml"),
        ],
    )
    assert [s["id"] for s in json.loads(listed.stdout)] == ["tupu-ake", "link-house"]


def test_internal_errors_ask_for_a_bug_report(runner: CliRunner, monkeypatch) -> None:
    import cmhcost.engine.compare

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cmhcost.engine.compare, "compare", broken)
    result = runner.invoke(app, ["compare", *DATA])
    assert result.exit_code == 70
    assert "This is a bug in cmhcost" in result.stderr and "Traceback" not in result.output


def test_the_schemas_in_docs_are_current(runner: CliRunner) -> None:
    docs = Path(__file__).parents[2] / "docs"
    for which, name in (
        ("services", "services.schema.json"),
        ("rates", "exchange_rates.schema.json"),
    ):
        result = runner.invoke(app, ["schema", which])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["additionalProperties"] is False
        assert result.stdout == (docs / name).read_text(), (
            f"regenerate docs/{name} with `cmhcost schema {which}`"
        )


def test_streamed_json_is_exactly_what_json_dumps_prints(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", *DATA, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert (
        json.dumps(json.loads(result.stdout), indent=2, ensure_ascii=False) + "\n" == result.stdout
    )
    empty = runner.invoke(app, ["compare", *DATA, "--format", "json", "--country", "FR"])
    assert json.loads(empty.stdout)["rows"] == []


def test_validate_names_a_currency_without_a_rate(runner: CliRunner) -> None:
    pilot = (
        FIXTURES / "valid" / "pilot-minimal.yaml"
    )  # in Kenyan shillings, which no rate set covers
    result = runner.invoke(
        app, ["validate", str(pilot), "--rates", str(FIXTURES / "valid" / "rates.yaml")]
    )
    assert result.exit_code == 1
    assert (
        f"{pilot}:12: pilot: figures[0].currency: no exchange rate for KES in the rates file"
        in result.stderr
    )


def test_validate_checks_quotes_against_the_documents(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "002_b29c8c4125090c1c.txt").write_text(
        "line one\nThe total cost per person per bed per night\nis £127 (approximately US$ 176)d\n"
    )
    data = tmp_path / "services.yaml"
    text = (FIXTURES / "valid" / "services.yaml").read_text()
    data.write_text(text)
    args = [
        "validate",
        str(data),
        "--rates",
        str(FIXTURES / "valid" / "rates.yaml"),
        "--sources",
        str(tmp_path),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    # Link House's quote spans lines 2119-2121 of the real document; this stand-in has 3 lines.
    assert (
        "link-house: figures[0].source.lines: 002_b29c8c4125090c1c.txt has 3 lines; 2121 is past its end"
        in result.stderr
    )
    body = (
        "\n" * 2118
        + "The total cost per person per bed per night\n\nis  £127 (approximately US$ 176)d\n"
    )
    (tmp_path / "002_b29c8c4125090c1c.txt").write_text(body + "\n" * 12000)
    again = runner.invoke(app, args)
    assert "link-house: figures[0]" not in again.stderr  # found across lines, whitespace folded
    assert (
        "tupu-ake: figures[0].source.quote: quote not found in 002_b29c8c4125090c1c.txt lines 2664-2664"
        in again.stderr
    )


def test_debug_shows_the_traceback_of_an_internal_error(runner: CliRunner, monkeypatch) -> None:
    import cmhcost.engine.compare

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cmhcost.engine.compare, "compare", broken)
    result = runner.invoke(app, ["--debug", "compare", *DATA])
    assert isinstance(result.exception, RuntimeError)


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket")
def test_the_network_is_blocked_in_tests() -> None:
    import socket

    import pytest_socket

    with pytest.raises(pytest_socket.SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


SLIPS = """\
version: 1
services:
  - id: slips
    name: Slips
    place: Leeds
    country: gb
    category: crisis
    figures:
      - id: lower
        label: Lower case
        amount: 10
        currency: usd
        unit: person-day
        price_year: 2020
        source: {document: d.txt, section: s, lines: [1, 1], quote: q}
      - id: symbol
        label: A symbol
        amount: 10
        currency: "£"
        unit: person-day
        price_year: 2020
        source: {document: d.txt, section: s, lines: [1, 1], quote: q}
"""


def test_codes_in_a_file_explain_common_slips(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "slips.yaml"
    path.write_text(SLIPS)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:6: slips: country: 'gb': country codes are upper case ('GB')",
        f"{path}:12: slips: figures[0].currency: 'usd': currency codes are upper case ('USD')",
        f"{path}:19: slips: figures[1].currency: '£' is a currency symbol; write the ISO 4217 "
        "code (GBP), not a symbol",
    ]


def test_a_currency_symbol_on_the_command_line_is_bad_usage(runner: CliRunner) -> None:
    result = runner.invoke(app, ["convert", "10", "£", "--to", "USD"])
    assert result.exit_code == 2
    assert "'£' is a currency symbol; write the ISO 4217" in " ".join(result.stderr.split())


def test_python_dash_m_runs_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["cmhcost", "schema", "rates"])
    with pytest.raises(SystemExit) as ended:
        runpy.run_module("cmhcost", run_name="__main__")
    assert ended.value.code == 0
    assert json.loads(capsys.readouterr().out)["title"] == "RatesFile"  # its JSON Schema


def test_what_one_command_read_does_not_bind_the_next_in_the_same_process(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init-pilot", "pilot.yaml"]).exit_code == 0
    assert runner.invoke(app, ["pilot", "pilot.yaml"]).exit_code == 0  # reads pilot.yaml
    # A later command may write where an earlier one read; within one command it may not.
    assert runner.invoke(app, ["init-pilot", "pilot.yaml", "--force"]).exit_code == 0
    refused = runner.invoke(app, ["pilot", "pilot.yaml", "--output", "pilot.yaml"])
    assert refused.exit_code == 2
    assert "pilot.yaml is an input of this command" in refused.stderr
