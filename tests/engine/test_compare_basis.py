"""`cmhcost compare --basis ppp|market --price-year T` on the shipped data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app


def report(runner: CliRunner, *extra: str) -> dict[str, Any]:
    result = runner.invoke(app, ["compare", "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def plain() -> dict[str, Any]:
    return report(CliRunner())


@pytest.fixture(scope="module")
def ppp() -> dict[str, Any]:
    return report(CliRunner(), "--basis", "ppp", "--price-year", "2024")


def test_every_row_carries_its_price_year_country_and_factors(ppp: dict[str, Any]) -> None:
    assert (ppp["basis"], ppp["price_year"]) == ("ppp", 2024)
    assert len(ppp["rows"]) >= 15
    for row in ppp["rows"]:
        cost = row["adjustment"]["cost"]
        assert cost["price_year"] == row["price_year"] is not None
        assert cost["country"] and cost["inflation_factor"] and cost["ppp_factor"]


def test_afiya_house_in_2024_international_dollars(ppp: dict[str, Any]) -> None:
    afiya = next(r for r in ppp["rows"] if r["id"] == "afiya-house")
    # 1460 and 2695 USD of 2015 x 1.323487 (US CPI 2016-2024) / 1 x 1 = 1932.29 and 3566.80
    assert afiya["cost"]["low"] == "1932.29"
    assert afiya["baseline"]["low"] == "3566.80"
    assert afiya["ratio"]["low"] == "0.5417"  # 1460 / 2695, as without a basis


def test_same_country_same_year_ratios_do_not_change_with_the_basis(
    plain: dict[str, Any], ppp: dict[str, Any], runner: CliRunner
) -> None:
    market = report(runner, "--basis", "market", "--price-year", "2024")
    ratios = {(r["id"], r["baseline"]["id"]): r["ratio"] for r in plain["rows"]}
    same = [
        r
        for r in ppp["rows"]
        if r["adjustment"]["baseline"] is not None
        and r["adjustment"]["cost"]["country"] == r["adjustment"]["baseline"]["country"]
        and r["price_year"] == r["baseline_price_year"]
    ]
    assert len(same) >= 5
    for row in same:
        key = (row["id"], row["baseline"]["id"])
        assert row["ratio"] == ratios[key], key
        in_market = [r for r in market["rows"] if (r["id"], r["baseline"]["id"]) == key]
        assert all(r["ratio"] == ratios[key] for r in in_market), key


def test_the_plain_report_keeps_its_keys(plain: dict[str, Any]) -> None:
    assert list(plain) == ["currency", "per", "rates_date", "rows", "not_compared"]
    assert all("adjustment" not in row for row in plain["rows"])
    assert all(row["price_year"] is not None for row in plain["rows"])


def test_the_title_names_the_price_year_and_basis(runner: CliRunner) -> None:
    args = ["compare", "--basis", "ppp", "--price-year", "2024", "--format", "markdown"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "# Cost against baseline, 2024 international dollars (PPP), per day"
    )


def test_a_price_year_beyond_the_data_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--price-year", "2030"])
    assert result.exit_code == 2
    assert "target years 1990-2024 are available" in result.output


def test_rates_date_and_a_basis_do_not_go_together(runner: CliRunner) -> None:
    args = ["compare", "--basis", "ppp", "--rates-date", "2021-02-01"]
    assert runner.invoke(app, args).exit_code == 2


def test_the_plain_compare_reads_no_price_table(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from cmhcost.cli import main\n"
        "sys.argv = ['cmhcost', 'compare', '--format', 'json', '--output', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('cmhcost.conversion.prices' in sys.modules, 'cmhcost.loading.user_index' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False False"


def test_an_own_index_applies_to_its_countrys_rows(runner: CliRunner, tmp_path: Path) -> None:
    index = tmp_path / "flat.yaml"
    index.write_text(
        "country: GB\nsource: flat prices\npct: {2019: 0, 2020: 0, 2021: 0, 2022: 0, 2023: 0, 2024: 0}\n"
    )
    document = report(runner, "--basis", "ppp", "--index", str(index), "--category", "crisis")
    link = next(r for r in document["rows"] if r["id"] == "link-house")
    # GBP 127 of 2018 x 1 (the flat index) / 0.664153 (PPP GB 2024) = I$ 191.22
    assert link["cost"]["low"] == "191.22"
    assert link["adjustment"]["cost"]["index_source"].startswith("flat prices")
    tupu = next(r for r in document["rows"] if r["id"] == "tupu-ake")
    assert "FP.CPI.TOTL.ZG" in tupu["adjustment"]["cost"]["index_source"]


def test_a_shared_currency_needs_its_target_country(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--currency", "EUR", "--basis", "ppp"])
    assert result.exit_code == 2
    assert "--to-country" in result.output
    args = ["compare", "--currency", "EUR", "--basis", "ppp", "--to-country", "FR"]
    assert runner.invoke(app, [*args, "--format", "json"]).exit_code == 0
