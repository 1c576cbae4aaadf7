"""`cmhcost convert` on a basis: the done-when conversions, worked by hand in tests/conversion/test_prices.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app

# amount, currency, country, price year -> I$ of 2024, each worked by hand in tests/conversion/test_prices.py:
CASES = [
    # 1460 x 1.323487 (US CPI 2016-2024) / 1 x 1
    ("1460", "USD", "US", "2015", "1932.29"),
    # 297 x 1.212251 (NZ CPI 2021-2024) / 1.463912
    ("297", "NZD", "NZ", "2020", "245.94"),
    # 127 x 1.190249 (GB CPI 2022-2024) / 0.664153
    ("127", "GBP", "GB", "2021", "227.60"),
    # 107 x 1.326193 (IN CPI 2020-2024) / 20.4219876045922
    ("107", "INR", "IN", "2019", "6.95"),
    # 10 000 x 1 / 43.2712900869078
    ("10000", "KES", "KE", "2024", "231.10"),
    # 1100 x 1.291952 (BR CPI 2021-2024) / 2.48731718948001
    ("1100", "BRL", "BR", "2020", "571.36"),
    # 80 x 1.181255 (IT CPI 2019-2024) / 0.599627
    ("80", "EUR", "IT", "2018", "157.60"),
]


@pytest.mark.parametrize(("amount", "currency", "country", "year", "expected"), CASES)
def test_convert_to_2024_international_dollars(
    runner: CliRunner, amount: str, currency: str, country: str, year: str, expected: str
) -> None:
    args = ["convert", amount, currency, "--country", country, "--price-year", year]
    args += ["--to", "USD", "--basis", "ppp", "--target-year", "2024", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["result"] == expected
    assert (record["price_year"], record["target_year"]) == (int(year), 2024)
    assert (record["country"], record["to_country"], record["basis"]) == (country, "US", "ppp")
    for key in ("amount", "currency", "to", "rate", "rate_date", "source", "inflation_factor"):
        assert key in record
    assert "FP.CPI.TOTL.ZG" in record["index_source"] and "PA.NUS.PPP" in record["ppp_source"]


def test_the_issues_example_and_its_text_form(runner: CliRunner) -> None:
    args = ["convert", "1460", "USD", "--price-year", "2015", "--to", "I$"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "1460 USD at 2015 prices (US)"
    assert lines[1].startswith("step 1, prices 2015 -> 2024 in US: x 1.323487 = 1932.29 USD")
    assert lines[2].startswith(
        "step 2, PPP 2024: / 1 USD per I$ (US) x 1 USD per I$ (US) = I$ 1932.29 of 2024"
    )


def test_a_target_year_beyond_the_data_is_a_usage_error(runner: CliRunner) -> None:
    args = ["convert", "80", "EUR", "--country", "IT", "--price-year", "2018", "--to", "I$"]
    result = runner.invoke(app, [*args, "--target-year", "2025"])
    assert result.exit_code == 2
    assert "target years 1990-2024 are available" in result.output


def test_international_dollars_need_the_ppp_basis(runner: CliRunner) -> None:
    args = ["convert", "1", "USD", "--price-year", "2020", "--to", "I$", "--basis", "market"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "needs --basis ppp" in result.output


def test_an_own_index_replaces_the_cpi(runner: CliRunner, tmp_path: Path) -> None:
    index = tmp_path / "nhs.csv"
    index.write_text("# source: NHS cost inflation\nyear,index\n2019,100\n2024,130\n")
    # 100 GBP of 2019 x 130 / 100 = 130 GBP of 2024; / PPP GB 2024 0.664153 = I$ 195.74
    args = ["convert", "100", "GBP", "--price-year", "2019", "--to", "I$", "--index", str(index)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["inflation_factor"], record["result"]) == ("1.3", "195.74")
    assert record["index_source"].startswith("NHS cost inflation")


def test_a_bad_index_file_is_reported_at_its_line(runner: CliRunner, tmp_path: Path) -> None:
    index = tmp_path / "index.yaml"
    index.write_text("country: GB\npct:\n  2020: 2.5\n  2021: lots\n")
    args = ["convert", "100", "GBP", "--price-year", "2019", "--to", "I$", "--index", str(index)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert f"{index}:4: -: 2021: 'lots' is not a number" in result.output


def test_an_amount_in_exponent_notation_is_written_in_full(runner: CliRunner) -> None:
    args = ["convert", "1e3", "GBP", "--to", "I$", "--price-year", "2020", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["amount"] == "1000"
