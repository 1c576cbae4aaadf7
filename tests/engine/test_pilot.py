"""Pilots: every example runs, with its figures worked out by hand here."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.money import Range
from cmhcost.engine.costing import derive
from cmhcost.engine.pilot import PilotRequest, Reach, evaluate
from cmhcost.loading.reader import (
    load_services,
    parse_services,
    shipped_services,
)
from cmhcost.report.wording import pilot_lines
from cmhcost.schema.services import Service

EXAMPLES = Path(__file__).parents[2] / "examples"
YEAR = Decimal("365.25")
USD = PilotRequest(currency="USD")


def test_brazil_crisis_respite(guidance, rates) -> None:
    pilot = load_services([EXAMPLES / "brazil-peer-crisis-respite.yaml"]).services[
        "campinas-peer-crisis-respite"
    ]
    report = evaluate(pilot, guidance, rates)
    # Running budget: 1 100 000-1 300 000 + 180 000 + 150 000 = 1 430 000-1 630 000.
    # Capital at 3%: 300 000 x 0.03 / (1 - 1.03^-10) = 9000 / 0.2559061 = 35 169.15 and
    # 60 000 x 0.03 / (1 - 1.03^-5) = 1800 / 0.1373912 = 13 101.27: 48 270.43 a year.
    assert round(report.derivation.capital.low, 2) == Decimal("48270.43")
    total = report.derivation.total
    assert (round(total.low, 2), round(total.high, 2)) == (
        Decimal("1478270.43"),
        Decimal("1678270.43"),
    )
    # Bed-nights: 6 x 0.6-0.9 x 365.25 = 1314.9-1972.35.
    nights = Range.of(Decimal("1314.9"), Decimal("1972.35"))
    assert report.derivation.units_per_year == nights
    # Unit cost: 1 478 270.43 / 1972.35 = 749.50 to 1 678 270.43 / 1314.9 = 1276.35 a bed-night.
    assert (round(report.cost.low, 2), round(report.cost.high, 2)) == (
        Decimal("749.50"),
        Decimal("1276.35"),
    )
    # Against R$ 1200-2400 a hospital day: 749.50 / 2400 = 0.3123, 1276.35 / 1200 = 1.0636.
    row = report.comparisons[0]
    assert (round(row.ratio.low, 4), round(row.ratio.high, 4)) == (
        Decimal("0.3123"),
        Decimal("1.0636"),
    )
    # Break-even occupancy: cost / (6 beds x 365.25 x hospital day):
    # 1 478 270.43 / 5 259 600 = 0.2811 and 1 678 270.43 / 2 629 800 = 0.6382, reachable.
    occupancy = report.break_even_occupancy
    assert (round(occupancy.low, 4), round(occupancy.high, 4)) == (
        Decimal("0.2811"),
        Decimal("0.6382"),
    )
    # Budget-neutral occupancy with the baseline left at 2020 prices (no price tables given):
    # cost / (6 x 365.25 x hospital day x 0.5): 1 478 270.43 / 2 629 800 = 0.5621 to
    # 1 678 270.43 / 1 314 900 = 1.2763: reachable at the low end only.
    neutral = report.neutral_occupancy
    assert (round(neutral.low, 4), round(neutral.high, 4)) == (Decimal("0.5621"), Decimal("1.2763"))
    assert report.reach is Reach.PARTLY
    assert report.break_even_budget == Range.of(1200 * Decimal("1314.9"), 2400 * Decimal("1972.35"))
    # Half the stays replace a hospital stay (Afiya's 125 of 250): saving = 0.5 x (B x U - T)
    # = 0.5 x (1 577 880 - 1 678 270.43) to 0.5 x (4 733 640 - 1 478 270.43).
    saving = report.annual_saving
    assert (round(saving.low, 2), round(saving.high, 2)) == (
        Decimal("-50195.21"),
        Decimal("1627684.79"),
    )
    # Net: 0.5 x 1 577 880 - 1 678 270.43 = -889 330.43 to 0.5 x 4 733 640 - 1 478 270.43.
    net = report.net_saving
    assert (round(net.low, 2), round(net.high, 2)) == (Decimal("-889330.43"), Decimal("888549.57"))
    assert report.assumptions == ()  # the file states its substitution
    # The cash flow: year 0 spends the capital, 300 000 + 60 000 = 360 000; the 5-year
    # furniture ends with the horizon, so it is not bought again; years 0-5.
    flow = report.cash_flow
    assert flow.years[0].capital == Range.of(360000) and len(flow.years) == 6
    assert all(y.capital == Range.of(0) for y in flow.years[1:])
    # Crisis services per bed-night: Shared Lives crisis (GBP 672 / 7 = 96 a night, about R$ 716)
    # costs less than the pilot's low end; Link House (R$ 947) and Tupu Ake (R$ 1160) fall within
    # its range; Afiya House (R$ 7946) above it. Rank 2 to 4 of 5.
    assert report.rank == Range.of(2, 4) and len(report.peers) == 5


def test_india_supported_housing(guidance, rates) -> None:
    pilot = load_services([EXAMPLES / "india-supported-housing.yaml"]).services[
        "chennai-supported-housing"
    ]
    report = evaluate(pilot, guidance, rates)
    # Capital: 600 000 x 0.03 / (1 - 1.03^-7) = 18 000 / 0.1869085 = 96 303.81 a year.
    capital = Decimal("96303.81")
    assert round(report.derivation.capital.low, 2) == capital
    # 4 096 303.81-4 496 303.81 for 30 residents; INR 29 245 a month in a government facility is
    # 29 245 x 12 = 350 940 a year.
    assert round(report.cost.low, 2) == round((4000000 + capital) / 30, 2)
    row = report.comparisons[0]
    assert row.baseline_cost == Range.of(350940)
    assert report.break_even_budget == Range.of(350940 * 30)
    # No substitution in the file: 1 is assumed, and the report says so.
    assert "substitution 1 (assumed)" in report.assumptions[0]
    # 10 528 200 - 4 496 303.81 = 6 031 896.19 to 10 528 200 - 4 096 303.81 = 6 431 896.19.
    assert round(report.annual_saving.low, 2) == Decimal("6031896.19")
    assert report.net_saving == report.annual_saving  # every unit replaces one
    assert report.break_even_occupancy is None and report.reach is None  # no beds
    # Three to five years: the furnishing (600 000, 7 years) is spent in year 0 only; years 4
    # and 5 belong to the longer horizon.
    flow = report.cash_flow
    assert flow.years[0].capital == Range.of(600000)
    assert [y.longer_only for y in flow.years] == [False] * 4 + [True] * 2
    # Supported-living services per person-year, each once: Home Again (INR 108 720) costs less;
    # Hand in Hand (two figures, one span: 221 427-266 892) and the rest cost more: 2 of 6.
    assert report.rank == Range.of(2) and len(report.peers) == 6
    assert len({p.service.id for p in report.peers}) == len(report.peers)


def test_a_point_budget_gives_a_point_cost() -> None:
    from cmhcost.schema.services import Budget

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

    from cmhcost.schema.services import Capacity

    with pytest.raises(ValidationError, match=message):
        Capacity.model_validate(capacity)


# --- Pilot terms, each worked out by hand on a small pilot in US dollars ---

PILOT = """\
version: 1
services:
  - id: test-house
    name: Test crisis house
    place: Testville
    country: US
    category: crisis
    budget:
      currency: USD
      lines:
        - {{label: All running costs, amount: {budget}}}
{capital}      capacity: {{beds: 10, occupancy: 0.8}}
{pilot}    baselines:
      - id: hospital
        label: Hospital
        compare: budget
        cost: {{id: h, label: Hospital, amount: {baseline}, currency: USD, unit: {unit}}}
"""


def make_pilot(budget="1000000", baseline="500", unit="bed-night", pilot="", capital="") -> Service:
    text = PILOT.format(budget=budget, baseline=baseline, unit=unit, pilot=pilot, capital=capital)
    return parse_services(text).services["test-house"]


def test_substitution_scales_the_annual_saving(guidance, rates) -> None:
    # 10 beds x 0.8 x 365.25 = 2922 bed-nights; at USD 500 the hospital would cost 1 461 000;
    # the house costs 1 000 000: saving 461 000 if every night replaces a hospital night.
    full = evaluate(make_pilot(pilot="    pilot: {substitution: 1}\n"), guidance, rates)
    half = evaluate(make_pilot(pilot="    pilot: {substitution: 0.5}\n"), guidance, rates)
    assert full.annual_saving == Range.of(461000)
    assert half.annual_saving == Range.of(230500)  # half of 461 000
    # Net: 0.5 x 1 461 000 - 1 000 000 = -269 500: the other half of the nights are new care.
    assert half.net_saving == Range.of(-269500)
    assert full.assumptions == half.assumptions == ()
    # A range of shares gives a range: 0.4 x 461 000 = 184 400 to 0.6 x 461 000 = 276 600.
    ranged = evaluate(make_pilot(pilot="    pilot: {substitution: [0.4, 0.6]}\n"), guidance, rates)
    assert ranged.annual_saving == Range.of(184400, 276600)


def test_a_per_admission_baseline_converts_with_the_length_of_stay(guidance, rates) -> None:
    # Nigeria's USD 3675 a psychiatric admission (5.4) over 21 days is USD 175 a day.
    pilot = make_pilot(baseline="3675", unit="admission", pilot="    pilot: {length_of_stay: 21}\n")
    report = evaluate(pilot, guidance, rates)
    (row,) = report.comparisons
    assert row.baseline_cost == Range.of(175)
    # The house: 1 000 000 / 2922 = 342.23 a night; 342.23 / 175 = 1.9556.
    assert round(row.ratio.low, 4) == Decimal("1.9556")
    # And back: a 21-day stay in the house costs 342.23 x 21 = 7186.86 against 3675 an admission.
    assert "the pilot costs 7186.86 against 3675 per admission" in " ".join(row.notes)
    # 2922 nights x 175 = 511 350 of hospital care replaced, against 1 000 000.
    assert report.annual_saving == Range.of(-488650)
    # A range of stays gives a range: 3675 / 28 = 131.25 to 3675 / 14 = 262.50 a day.
    ranged = make_pilot(
        baseline="3675", unit="admission", pilot="    pilot: {length_of_stay: [14, 28]}\n"
    )
    assert evaluate(ranged, guidance, rates).comparisons[0].baseline_cost == Range.of(
        "131.25", "262.5"
    )
    # Without a length of stay an admission cannot be set against a night.
    without = evaluate(make_pilot(baseline="3675", unit="admission"), guidance, rates)
    assert without.comparisons == () and "no stated way to convert" in without.skipped[0].message


def test_capital_is_annualised_and_added_to_the_unit_cost(guidance, rates) -> None:
    capital = "      capital:\n        - {label: Refurbishment, amount: 150000, life_years: 10}\n"
    report = evaluate(make_pilot(capital=capital), guidance, rates)
    # 150 000 x 0.03 / (1 - 1.03^-10) = 4500 / 0.2559061 = 17 584.58 a year.
    assert round(report.derivation.capital.low, 2) == Decimal("17584.58")
    assert any(
        step.startswith("capital, Refurbishment: 150000 over 10 years at 3%")
        for step in report.derivation.steps
    )
    # (1 000 000 + 17 584.58) / 2922 = 348.25 a bed-night.
    assert round(report.cost.low, 2) == Decimal("348.25")
    # At 3-5%: 150 000 x 0.05 / (1 - 1.05^-10) = 7500 / 0.38608675 = 19 425.69 at the high end.
    ranged = capital + "      discount_rate: [0.03, 0.05]\n"
    high = evaluate(make_pilot(capital=ranged), guidance, rates).derivation.capital
    assert (round(high.low, 2), round(high.high, 2)) == (Decimal("17584.58"), Decimal("19425.69"))


def test_a_horizon_is_a_cash_flow_with_a_replacement(guidance, rates) -> None:
    capital = "      capital:\n        - {label: Furniture, amount: 60000, life_years: 2}\n"
    pilot = make_pilot(pilot="    pilot: {horizon_years: 3}\n", capital=capital)
    flow = evaluate(pilot, guidance, rates).cash_flow
    # Year 0: the furniture, 60 000. Its 2-year life ends in year 2, before the 3-year horizon
    # ends: bought again in year 2. Running 1 000 000 a year; avoided 2922 nights x 500 =
    # 1 461 000 (substitution 1). Net: -60 000; 461 000; 401 000; 461 000.
    assert [y.capital for y in flow.years] == [Range.of(v) for v in (60000, 0, 60000, 0)]
    assert [y.net for y in flow.years] == [Range.of(v) for v in (-60000, 461000, 401000, 461000)]
    assert flow.years[-1].cumulative == Range.of(1263000)
    # Discounted at 3%: -60 000 + 461 000 / 1.03 + 401 000 / 1.03^2 + 461 000 / 1.03^3
    # = -60 000 + 447 572.82 + 377 980.96 + 421 880.30 = 1 187 434.08; payback in year 1
    # (-60 000 + 447 572.82 > 0).
    assert round(flow.net.low, 2) == Decimal("1187434.08")
    assert flow.payback == (1, 1)


def test_a_break_even_occupancy_above_one_is_unreachable(guidance, rates) -> None:
    # 2 000 000 / (10 beds x 365.25 x 500) = 2 000 000 / 1 826 250 = 1.0951: more than full.
    report = evaluate(make_pilot(budget="2000000"), guidance, rates)
    assert round(report.break_even_occupancy.low, 4) == Decimal("1.0951")
    assert report.reach is Reach.UNREACHABLE
    text = "\n".join(pilot_lines(report))
    assert "Budget-neutral occupancy: 1.10: unreachable" in text


def test_ranks_are_ranges_when_costs_overlap(guidance, rates) -> None:
    # USD 1000 000-2 000 000 / 2922 = 342.23-684.46 a night, against the guidance's crisis
    # services in USD: Shared Lives crisis (131.53) and Link House (174) below, Tupu Ake (213)
    # below, Afiya House (1460) above: 4 of 5 exactly.
    report = evaluate(make_pilot(budget="[1000000, 2000000]"), guidance, rates, USD)
    assert report.rank == Range.of(4)
    # 100 000-2 000 000 / 2922 = 34.22-684.46 spans the three cheaper ones: 1 to 4 of 5.
    wide = evaluate(make_pilot(budget="[100000, 2000000]"), guidance, rates, USD)
    assert wide.rank == Range.of(1, 4)


def test_a_pilot_may_not_take_a_guidance_id_unless_it_says_so(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = PILOT.format(budget="1000000", baseline="500", unit="bed-night", pilot="", capital="")
    clash = tmp_path / "clash.yaml"
    clash.write_text(text.replace("test-house", "tupu-ake"))
    result = runner.invoke(app, ["pilot", str(clash)])
    assert result.exit_code == 1
    assert f"{clash}:3: tupu-ake: id: 'tupu-ake' is the id of a guidance record" in result.stderr
    allowed = tmp_path / "allowed.yaml"
    allowed.write_text(
        text.replace("test-house", "tupu-ake").replace(
            "    baselines:", "    pilot: {replaces: tupu-ake}\n    baselines:"
        )
    )
    result = runner.invoke(app, ["pilot", str(allowed), "--format", "json"])
    assert result.exit_code == 0, result.output
    peers = [p["id"] for p in json.loads(result.stdout)["pilots"][0]["peers"]]
    assert peers.count("tupu-ake") == 1  # the pilot itself stands in for the record


def test_a_pilot_file_with_no_pilot_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("version: 1\nservices: []\n")
    result = runner.invoke(app, ["pilot", str(empty)])
    assert result.exit_code == 1 and "the file holds no pilot" in result.stderr
    assert result.stdout == ""


def test_a_pilot_costed_per_person_converts_to_days_with_the_length_of_stay(
    guidance, rates
) -> None:
    text = PILOT.format(
        budget="700000",
        baseline="1000",
        unit="person-day",
        pilot="    pilot: {length_of_stay: 14}\n",
        capital="",
    ).replace("capacity: {beds: 10, occupancy: 0.8}", "capacity: {people_per_year: 100}")
    report = evaluate(parse_services(text).services["test-house"], guidance, rates)
    # 700 000 / 100 people = 7000 a person; a 14-day stay: 7000 / 14 = 500 a day against 1000.
    assert report.unit == "person-day" and report.cost == Range.of(500)
    assert report.comparisons[0].ratio == Range.of("0.5")
    # 100 people x 14 days = 1400 days of hospital care at 1000 = 1 400 000, less 700 000.
    assert report.annual_saving == Range.of(700000)
    assert any("÷ length_of_stay 14 days" in note for note in report.assumptions)


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("    pilot: {substitution: 1.5}\n", "pilot.substitution: a share above 0 and at most 1"),
        ("    pilot: {horizon_years: 2.5}\n", "pilot.horizon_years: a horizon is a whole number"),
        ("    pilot: {length_of_stay: 0}\n", "pilot.length_of_stay: must be above zero"),
        ("    pilot: {replace: tupu-ake}\n", "pilot.replace: unknown key 'replace'"),
    ],
)
def test_pilot_terms_mistakes_are_explained(terms: str, message: str) -> None:
    from cmhcost.domain.errors import DatasetError

    with pytest.raises(DatasetError, match=message):
        make_pilot(pilot=terms)


def test_a_discount_rate_written_as_a_percentage_is_explained() -> None:
    from cmhcost.domain.errors import DatasetError

    capital = "      discount_rate: 3\n"
    with pytest.raises(DatasetError, match="budget.discount_rate: .*write 0.03 for 3%"):
        make_pilot(capital=capital)


def test_a_workbook_without_capital_recomputes_to_the_report(
    runner: CliRunner, tmp_path: Path
) -> None:
    from tests.report.test_xlsx import evaluate, workbook

    text = PILOT.format(
        budget="1000000",
        baseline="300",
        unit="bed-night",
        capital="",
        pilot="    pilot: {substitution: [0.5, 1]}\n",
    ).replace("currency: USD, unit: bed-night}", "currency: GBP, unit: bed-night}")
    text += (
        "      - id: half\n        label: Twice the cost\n        compare: budget\n"
        "        relative: {relation: service-percent-of, value: 50, words: half the cost}\n"
    )
    path = tmp_path / "pilot.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["pilot", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)["pilots"][0]
    rows = evaluate(workbook(runner, tmp_path / "pilot.xlsx", "pilot", str(path)))
    # No capital: the annual budget is the annual cost, 1 000 000 / 2922 bed-nights = 342.23.
    assert "Capital a year" not in rows
    assert rows["Unit cost"] == pytest.approx((1_000_000 / 2922, 1_000_000 / 2922))
    # The saving, substitution 0.5-1 times (break-even budget - 1 000 000), as the report says.
    saving = expected["annual_saving"]
    assert rows["Annual saving"] == pytest.approx(
        (float(saving["low"]), float(saving["high"])), abs=0.01
    )
