"""`--index` reads a World Bank bulk download: every country of it, with line-numbered errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import DatasetError
from cmhcost.loading.user_index import load_index, parse_world_bank_index
from tests.conftest import FIXTURES

DEFLATOR = FIXTURES / "valid" / "API_NY.GDP.DEFL.KD.ZG_DS2_en_csv_v2.csv"


def test_a_bulk_download_is_an_index_of_every_country_in_it() -> None:
    own = load_index(DEFLATOR)
    assert own.kind == "pct" and set(own.by_country) == {"IN", "PE"}  # AFE is a region
    assert own.by_country["IN"][2024] == "3.0" and 2024 not in own.by_country["PE"]
    assert "NY.GDP.DEFL.KD.ZG" in own.source


def test_a_bad_cell_is_reported_with_its_line_and_country() -> None:
    text = DEFLATOR.read_text(encoding="utf-8").replace('"7.9"', '"n/a"')
    with pytest.raises(DatasetError) as caught:
        parse_world_bank_index(text, "deflator.csv")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.record) == (
        "deflator.csv",
        7,
        "IN",
    )  # the India row
    assert "'n/a' is not a number" in problem.message


def test_compare_inflates_with_the_deflator_of_each_country_it_covers(runner: CliRunner) -> None:
    args = ["compare", "--currency", "I$", "--price-year", "2024", "--country", "IN"]
    result = runner.invoke(app, [*args, "--format", "json", "--index", str(DEFLATOR)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["stamp"]["index"] == [DEFLATOR.name]
    home = next(r for r in document["rows"] if r["id"] == "home-again")
    # India's GDP deflator 2020-2024 (from 2019 prices): 1.013 x 1.079 x 1.066 x 1.014 x 1.030
    by_hand = (
        Decimal("1.013") * Decimal("1.079") * Decimal("1.066") * Decimal("1.014") * Decimal("1.030")
    )
    assert Decimal(home["adjustment"]["cost"]["inflation_factor"]) == by_hand
    assert "NY.GDP.DEFL.KD.ZG" in home["adjustment"]["cost"]["index_source"]


def test_index_is_repeatable_and_a_later_file_wins(runner: CliRunner, tmp_path: Path) -> None:
    india = tmp_path / "india.csv"
    india.write_text("# country: IN\nyear,pct\n2020,10\n2021,10\n2022,10\n2023,10\n2024,10\n")
    args = ["compare", "--currency", "I$", "--price-year", "2024", "--country", "IN", "--country"]
    args += ["PE", "--format", "json", "--index", str(DEFLATOR), "--index", str(india)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["stamp"]["index"] == [DEFLATOR.name, "india.csv"]
    home = next(r for r in document["rows"] if r["id"] == "home-again")
    # India from the later file: 1.1 a year for 2020-2024 (from 2019 prices) = 1.61051
    assert Decimal(home["adjustment"]["cost"]["inflation_factor"]) == Decimal("1.1") ** 5
