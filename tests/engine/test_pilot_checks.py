"""A pilot file's own checks and several pilots side by side, through `cmhcost pilot` and
`cmhcost sensitivity`. Figures worked by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from tests.conftest import FIXTURES

KES_PILOT = FIXTURES / "valid" / "pilot-kes.yaml"

# A crisis house in US dollars: USD 500 000 a year, 10 beds at 0.8 occupancy
# = 10 x 0.8 x 365.25 = 2922 bed-nights, USD 500 000 / 2922 = USD 171.12 a bed-night.
HOUSE = """\
version: 1
services:
  - id: {id}
    name: A crisis house
    place: Testville
    country: US
    category: crisis
    budget:
      currency: USD
      price_year: 2024
      lines:
        - {{label: All running costs, amount: 500000}}
      capacity: {{beds: 10, occupancy: 0.8}}
{rest}"""

BASELINE = """\
    baselines:
      - id: hospital
        label: Hospital
        compare: budget
        cost:
          id: h
          label: Hospital night
          amount: 500
          currency: USD
          unit: bed-night
          price_year: 2024
"""


def pilot_file(tmp_path: Path, name: str, rest: str, id_: str = "test-house") -> Path:
    path = tmp_path / name
    path.write_text(HOUSE.format(id=id_, rest=rest))
    return path


@pytest.mark.parametrize("command", ["pilot", "sensitivity"])
def test_replaces_naming_no_guidance_record_is_an_error_at_its_line(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    path = pilot_file(tmp_path, "p.yaml", "    pilot: {replaces: no-such-record}\n" + BASELINE)
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 1, result.output
    assert (
        f"{path}:14: test-house: pilot.replaces: no guidance record 'no-such-record' to replace"
        in result.stderr
    )
    assert result.stdout == ""


def test_sensitivity_of_a_file_with_no_pilot_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("version: 1\nservices: []\n")
    result = runner.invoke(app, ["sensitivity", str(empty)])
    assert result.exit_code == 1
    assert f"{empty}:1: -: services: the file holds no pilot" in result.stderr


def scenarios(runner: CliRunner, *files: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["pilot", *map(str, files), "--format", "json"])
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)["scenarios"]
    return found


def test_pilots_in_different_currencies_are_not_ranked_side_by_side(
    runner: CliRunner, tmp_path: Path
) -> None:
    dollars = pilot_file(tmp_path, "usd.yaml", BASELINE)
    found = scenarios(runner, dollars, KES_PILOT)
    assert found["note"].startswith(
        "unit costs not ranked: the pilots differ in currency, unit, basis or price year"
    )
    rows = {row["id"]: row for row in found["rows"]}
    assert [rows[i]["unit_cost_rank"] for i in rows] == [None, None]
    assert rows["test-house"]["unit_cost"] == {"low": "171.12", "high": "171.12"}
    assert rows["nairobi-crisis-house"]["currency"] == "KES"
    # The house saves 2922 x 500 - 500 000 = 1 461 000 - 500 000 = USD 961 000 a year at
    # both ends: budget-neutral or better. Nairobi: KES 8 298 000 to 21 447 000, both >= 0.
    assert rows["test-house"]["net_annual_saving"] == {"low": "961000.00", "high": "961000.00"}
    assert rows["test-house"]["budget_neutral"] == "budget-neutral or better"
    assert rows["nairobi-crisis-house"]["budget_neutral"] == "budget-neutral or better"


def test_a_pilot_without_a_baseline_has_no_neutrality_to_judge(
    runner: CliRunner, tmp_path: Path
) -> None:
    with_baseline = pilot_file(tmp_path, "a.yaml", BASELINE)
    alone = pilot_file(tmp_path, "b.yaml", "", id_="lone-house")
    found = scenarios(runner, with_baseline, alone)
    assert found["note"] is None  # one currency, unit, basis and price year: ranked
    rows = {row["id"]: row for row in found["rows"]}
    assert rows["lone-house"]["net_annual_saving"] is None
    assert rows["lone-house"]["budget_neutral"] == "no baseline to judge by"
    # Both cost USD 171.12 a bed-night: neither is wholly cheaper, each ranks 1st-2nd.
    assert rows["lone-house"]["unit_cost_rank"] == {"low": "1", "high": "2"}
    assert rows["test-house"]["unit_cost_rank"] == {"low": "1", "high": "2"}


FIGURED = """\
version: 1
services:
  - id: house
    name: A crisis house costed by figures
    place: Testville
    country: US
    category: crisis
    figures:
      - {id: night, label: A bed-night, amount: 171, currency: USD, unit: bed-night,
         price_year: 2024, source: {document: d.txt, section: s, lines: [1, 1], quote: "171"}}
      - {id: stay, label: A stay, amount: 90000, currency: KES, unit: bed-night,
         price_year: 2024, source: {document: d.txt, section: s, lines: [2, 2], quote: "9"}}
"""


def test_where_a_pilot_states_a_currency_its_budget_else_its_first_figure_in_it() -> None:
    # Where `sensitivity` points a missing rate: the budget's currency when the budget is in
    # it, else the first figure in that currency, else the first figure.
    from cmhcost.engine.pilot import currency_field
    from cmhcost.loading.reader import parse_services

    budgeted = parse_services(HOUSE.format(id="house", rest=BASELINE)).services["house"]
    assert currency_field(budgeted, "USD") == ["budget", "currency"]
    assert currency_field(budgeted, "KES") == ["figures", 0, "currency"]
    figured = parse_services(FIGURED).services["house"]
    assert figured.budget is None
    assert currency_field(figured, "KES") == ["figures", 1, "currency"]
    assert currency_field(figured, "USD") == ["figures", 0, "currency"]
    assert currency_field(figured, "GBP") == ["figures", 0, "currency"]
