"""Rate layers (shipped, user, --rates), `rates add`, and figures whose currency has no rate."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cmhcost
from cmhcost.cli import app
from cmhcost.loading.reader import parse_rates
from tests.conftest import FIXTURES

ADD_KES = ["rates", "add", "129.20", "KES", "--per", "USD", "--date", "2025-07-01"]
CBK = ["--source", "Central Bank of Kenya"]


def user_file(tmp_path: Path) -> Path:
    return tmp_path / "data-home" / "cmhcost" / "exchange_rates.yaml"


def package_digest() -> str:
    """A digest of every file of the installed package and its shipped data."""
    digest = hashlib.sha256()
    roots = [Path(cmhcost.__file__).parent, Path(str(files("cmhcost.data")))]
    for root in roots:
        for path in sorted(
            p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def test_an_added_rate_converts_and_the_package_is_untouched(
    runner: CliRunner, tmp_path: Path
) -> None:
    before = package_digest()
    added = runner.invoke(app, [*ADD_KES, *CBK])
    assert added.exit_code == 0, added.output
    assert f"{user_file(tmp_path)}: 129.20 KES = 1 USD on 2025-07-01" in added.stderr
    result = runner.invoke(
        app, ["convert", "1000", "KES", "--to", "USD", "--date", "2025-07-15", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    # 1000 KES at 129.20 KES per USD: 1000 / 129.20 = 7.7399... USD, shown with two places.
    assert (record["result"], record["rate_date"]) == ("7.74", "2025-07-01")
    assert "Central Bank of Kenya" in record["source"]
    assert package_digest() == before
    stored = parse_rates(user_file(tmp_path).read_text())
    assert [(s.base, str(s.rates["KES"]), s.date) for s in stored.sets] == [
        ("USD", "129.20", date(2025, 7, 1))
    ]


def test_adding_to_the_same_day_and_source_replaces_the_rate(
    runner: CliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(app, [*ADD_KES, *CBK]).exit_code == 0
    again = ["rates", "add", "130", "KES", "--per", "USD", "--date", "2025-07-01", *CBK]
    assert runner.invoke(app, again).exit_code == 0
    stored = parse_rates(user_file(tmp_path).read_text())
    assert [str(s.rates["KES"]) for s in stored.sets] == ["130"]


BAD_ADDS = {
    "negative": (["-5", "KES"], "above zero"),
    "zero": (["0", "KES"], "above zero"),
    "not a number": (["abc", "KES"], "'abc' is not a number"),
    "unknown code": (["129", "KSH"], "'KSH' is not an ISO 4217"),
    "same currency": (["1", "USD"], "converts a currency into itself"),
}


@pytest.mark.parametrize("case", sorted(BAD_ADDS))
def test_a_bad_rate_is_refused_and_nothing_is_written(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    args, message = BAD_ADDS[case]
    result = runner.invoke(
        app, ["rates", "add", "--per", "USD", "--date", "2025-07-01", *CBK, "--", *args]
    )
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert not user_file(tmp_path).exists()


def test_a_future_date_and_an_empty_source_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    future = ["rates", "add", "129", "KES", "--per", "USD", "--date", tomorrow, *CBK]
    result = runner.invoke(app, future)
    assert result.exit_code == 1 and "is in the future" in result.stderr
    blank = ["rates", "add", "129", "KES", "--per", "USD", "--date", "2025-07-01", "--source", " "]
    result = runner.invoke(app, blank)
    assert result.exit_code == 1 and "say where the rate comes from" in result.stderr
    assert not user_file(tmp_path).exists()


def test_the_shipped_file_is_never_written(runner: CliRunner) -> None:
    shipped = Path(str(files("cmhcost.data") / "exchange_rates.yaml"))
    result = runner.invoke(app, [*ADD_KES, *CBK, "--rates-file", str(shipped)])
    assert result.exit_code == 1
    assert "is the rates file shipped with cmhcost" in result.stderr


def write_layer(path: Path, usd: str) -> Path:
    path.write_text(
        "version: 1\nsets:\n  - date: 2021-02-01\n    base: EUR\n"
        f"    source: layer {path.stem}\n    method: m\n    rates: {{USD: '{usd}'}}\n"
    )
    return path


def test_later_rates_files_win_and_rates_list_names_the_layers(
    runner: CliRunner, tmp_path: Path
) -> None:
    first, second = write_layer(tmp_path / "a.yaml", "2"), write_layer(tmp_path / "b.yaml", "4")
    convert = ["convert", "100", "EUR", "--to", "USD", "--date", "2021-02-10"]
    result = runner.invoke(app, [*convert, "--rates", str(first), "--rates", str(second)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("100 EUR = 400.00 USD")  # 100 x 4, the later file's rate
    result = runner.invoke(app, [*convert, "--rates", str(second), "--rates", str(first)])
    assert result.stdout.startswith("100 EUR = 200.00 USD")
    shown = runner.invoke(
        app, ["rates", "list", "--currency", "USD", "--rates", str(first)], env={"COLUMNS": "1000"}
    )
    assert shown.exit_code == 0, shown.output
    rows = [line for line in shown.stdout.splitlines() if "2021-02-01" in line]
    assert len(rows) == 2
    assert "shipped" in rows[0] and str(first) in rows[1]


def kes_record(tmp_path: Path) -> Path:
    text = (FIXTURES / "valid" / "pilot-minimal.yaml").read_text()
    text += (
        "    baselines:\n      - id: hospital\n        label: Hospital bed-night\n"
        "        cost:\n          id: hospital-night\n          label: Hospital bed-night\n"
        "          amount: 15000\n          currency: KES\n          unit: bed-night\n"
        "          source: {document: budget.txt, section: B, lines: [2, 2], quote: '15000'}\n"
    )
    path = tmp_path / "kes.yaml"
    path.write_text(text)
    return path


def test_a_figure_without_a_rate_is_not_compared_and_the_run_goes_on(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = ["--data", str(cmhcost_data()), "--data", str(kes_record(tmp_path))]
    result = runner.invoke(app, ["compare", *data, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    skipped = [s for s in report["not_compared"] if s["item"] == "hospital"]
    assert [s["id"] for s in skipped] == ["pilot"]
    assert skipped[0]["reason"].startswith("no exchange rate: no KES rate on or shortly before")
    assert (
        'cmhcost rates add RATE KES --per USD --date 2021-02-28 --source "..."'
        in (skipped[0]["reason"])
    )
    assert len(report["rows"]) > 10  # the guidance's services are still compared


def cmhcost_data() -> Path:
    return Path(str(files("cmhcost.data") / "services.yaml"))


def test_a_pilot_in_a_currency_without_a_rate_runs_unranked_until_one_is_added(
    runner: CliRunner, tmp_path: Path
) -> None:
    pilot = kes_record(tmp_path)
    result = runner.invoke(app, ["pilot", str(pilot), "--format", "json"])
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)["pilots"]
    assert record["currency"] == "KES" and record["rank"]["place"] is None
    assert "cmhcost rates add RATE KES --per USD" in record["rank"]["note"]
    add = ["rates", "add", "129.20", "KES", "--per", "USD", "--date", "2021-02-01", *CBK]
    assert runner.invoke(app, add).exit_code == 0
    dated = ["pilot", str(pilot), "--rates-date", "2021-02-01", "--format", "json"]
    result = runner.invoke(app, dated)
    assert json.loads(result.stdout)["pilots"][0]["rank"]["place"] is not None


def test_gel_far_from_its_implied_month_says_so(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--rates-date", "2024-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    reasons = [s["reason"] for s in json.loads(result.stdout)["not_compared"]]
    gel = [r for r in reasons if "no GEL rate" in r]
    assert gel and gel[0] == (
        "no exchange rate: no GEL rate on or shortly before 2024-01-01: the nearest earlier GEL "
        "rate is for 2021-03-01 (the only one stored), more than 45 days before; add one with: "
        'cmhcost rates add RATE GEL --per USD --date 2024-01-01 --source "..."'
    )
