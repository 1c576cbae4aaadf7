"""Pilots: every example runs, with its figures worked out by hand here."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.costing import derive
from cmhcost.currency import RateTable
from cmhcost.dataset import load_rates, load_services, shipped_rates, shipped_services
from cmhcost.money import Range
from cmhcost.pilot import evaluate

EXAMPLES = Path(__file__).parents[1] / "examples"
YEAR = Decimal("365.25")


@pytest.fixture(scope="module")
def guidance():
    return load_services([shipped_services()])


@pytest.fixture(scope="module")
def rates() -> RateTable:
    return RateTable(load_rates(shipped_rates()).sets)


def test_brazil_crisis_respite(guidance, rates) -> None:
    pilot = load_services([EXAMPLES / "brazil-peer-crisis-respite.yaml"]).services[
        "campinas-peer-crisis-respite"
    ]
    report = evaluate(pilot, guidance, rates)
    # Budget: 1 100 000-1 300 000 + 180 000 + 150 000; bed-nights: 6 x 0.6-0.9 x 365.25.
    total = Range.of(1430000, 1630000)
    nights = Range.of(Decimal("1314.9"), Decimal("1972.35"))
    assert report.derivation.total == total
    assert report.derivation.units_per_year == nights
    assert report.cost == Range.of(
        Decimal(1430000) / Decimal("1972.35"), Decimal(1630000) / Decimal("1314.9")
    )
    # Against R$ 1200-2400 a hospital day: low 725.02 / 2400, high 1239.64 / 1200.
    row = report.comparisons[0]
    assert round(row.ratio.low, 4) == Decimal("0.3021") and round(row.ratio.high, 4) == Decimal(
        "1.0330"
    )
    # Break-even occupancy: budget / (6 beds x 365.25 x hospital day).
    assert report.break_even_occupancy == Range.of(
        Decimal(1430000) / (6 * YEAR * 2400), Decimal(1630000) / (6 * YEAR * 1200)
    )
    assert report.break_even_budget == Range.of(1200 * Decimal("1314.9"), 2400 * Decimal("1972.35"))
    assert report.annual_saving == Range.of(-52120, 3303640)
    assert report.rank == 1


def test_india_supported_housing(guidance, rates) -> None:
    pilot = load_services([EXAMPLES / "india-supported-housing.yaml"]).services[
        "chennai-supported-housing"
    ]
    report = evaluate(pilot, guidance, rates)
    # 4 000 000-4 400 000 for 30 residents; INR 29 245 a month in a government facility is 350 940 a year.
    assert report.cost == Range.of(Decimal(4000000) / 30, Decimal(4400000) / 30)
    row = report.comparisons[0]
    assert row.baseline_cost == Range.of(350940)
    assert row.ratio == Range.of(Decimal(4000000) / 30 / 350940, Decimal(4400000) / 30 / 350940)
    assert report.break_even_budget == Range.of(350940 * 30)
    assert report.annual_saving == Range.of(6128200, 6528200)
    assert report.break_even_occupancy is None  # no beds


def test_a_point_budget_gives_a_point_cost() -> None:
    from cmhcost.models import Budget

    budget = Budget.model_validate(
        {
            "currency": "GEL",
            "lines": [{"label": "all", "amount": 300000}],
            "capacity": {"residents": 25},
        }
    )
    derivation = derive(budget)
    assert derivation.unit_cost == Range.of(12000)
    assert derivation.steps[-1] == "unit cost: 300000 / 25 = GEL 12000 per person-year"


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_runs_in_every_format(runner: CliRunner, example: str) -> None:
    for fmt in ("table", "markdown", "json"):
        result = runner.invoke(
            app, ["pilot", str(EXAMPLES / example), "--format", fmt, "--currency", "USD"]
        )
        assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pilots"][0]["currency"] == "USD"


def test_the_template_runs_and_is_not_overwritten(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "pilot.yaml"
    assert runner.invoke(app, ["init-pilot", str(target)]).exit_code == 0
    assert (tmp_path / "services.schema.json").exists()
    result = runner.invoke(app, ["pilot", str(target), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pilots"][0]["unit"] == "bed-night"
    again = runner.invoke(app, ["init-pilot", str(target)])
    assert again.exit_code == 1 and "exists" in again.stderr


def test_a_pilot_overlays_the_guidance_in_compare(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        [
            "compare",
            "--data",
            str(shipped_services()),
            "--data",
            str(EXAMPLES / "brazil-peer-crisis-respite.yaml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    ids = [row["id"] for row in json.loads(result.stdout)["rows"]]
    assert "campinas-peer-crisis-respite" in ids and "tupu-ake" in ids


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        ({"beds": 6}, "beds need an occupancy"),
        ({"beds": 6, "occupancy": 80}, "write 0.8 for 80%"),
        ({"residents": 5, "population": 100}, "found residents, population"),
        ({}, "give exactly one of"),
    ],
)
def test_capacity_mistakes_are_explained(capacity: dict, message: str) -> None:
    from pydantic import ValidationError

    from cmhcost.models import Capacity

    with pytest.raises(ValidationError, match=message):
        Capacity.model_validate(capacity)
