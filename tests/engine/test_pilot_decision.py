"""A pilot appraisal that supports a decision: one price year, break-evens that count
substitution, capital as cash, scenarios side by side. Every figure worked by hand here."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.money import Range
from cmhcost.engine.pilot import PilotInputs, PilotRequest, Reach, appraise, evaluate
from cmhcost.loading.price_tables import shipped_tables
from cmhcost.report.pilot_records import PILOT_COLUMNS

EXAMPLES = Path(__file__).parents[2] / "examples"
BRAZIL = EXAMPLES / "brazil-peer-crisis-respite.yaml"
INDIA = EXAMPLES / "india-supported-housing.yaml"
# Brazil's CPI, 2020 to 2024: 1.0830166 x 1.0928011 x 1.0459356 x 1.0436746 = 1.2919518;
# to 2025 the 2024 rate again (projected): x 1.0436746 = 1.3483773.
TO_2024, TO_2025 = Decimal("1.2919518"), Decimal("1.3483773")
# The Brazil example's annual cost: 1 430 000-1 630 000 running + 35 169.15 + 13 101.27
# capital (300 000 over 10 years and 60 000 over 5 at 3%) = 1 478 270.43-1 678 270.43.
COST = (Decimal("1478270.43"), Decimal("1678270.43"))


@pytest.fixture(scope="module")
def request_() -> PilotRequest:
    return PilotRequest(tables=shipped_tables())


def brazil(price_year: int = 2025):
    text = BRAZIL.read_text().replace("price_year: 2025", f"price_year: {price_year}")
    from cmhcost.loading.reader import parse_services

    return parse_services(text).services["campinas-peer-crisis-respite"]


def r4(value: Decimal) -> Decimal:
    return round(value, 4)


def test_a_2024_pilot_compares_with_the_hospital_day_at_2024_prices(
    guidance, rates, request_
) -> None:
    report = evaluate(brazil(2024), guidance, rates, request_)
    (row,) = report.comparisons
    # BRL 1200-2400 of 2020 x 1.2919518 = 1550.34-3100.68 of 2024, factor shown in the notes.
    assert (round(row.baseline_cost.low, 2), round(row.baseline_cost.high, 2)) == (
        Decimal("1550.34"),
        Decimal("3100.68"),
    )
    assert (
        r4(row.baseline_adjustment.inflation_factor) == r4(TO_2024)
        and row.baseline_adjustment.projection is None
    )
    assert any("BRL of 2020 (BR) to 2024: x 1.2920" in note for note in row.notes)


def test_the_brazil_example_at_its_own_2025_prices(guidance, rates, request_) -> None:
    report = evaluate(brazil(), guidance, rates, request_)
    step = report.comparisons[0].baseline_adjustment
    assert step.projection is not None and step.projection.years == (2025,)
    # Hospital day at 2025 prices: 1200-2400 x 1.3483773 = 1618.05-3236.11.
    low, high = 1200 * TO_2025, 2400 * TO_2025
    # Budget-neutral occupancy = cost / (6 beds x 365.25 x day x 0.5):
    # 1 478 270.43 / (1095.75 x 3236.11) = 0.4169; 1 678 270.43 / (1095.75 x 1618.05) = 0.9466.
    neutral = report.neutral_occupancy
    assert (r4(neutral.low), r4(neutral.high)) == (Decimal("0.4169"), Decimal("0.9466"))
    assert report.reach is Reach.REACHABLE
    # Break-even substitution = cost / (day x bed-nights): 1 478 270.43 / (3236.11 x 1972.35)
    # = 0.2316; 1 678 270.43 / (1618.05 x 1314.9) = 0.7888.
    share = report.neutral_substitution
    assert (r4(share.low), r4(share.high)) == (
        r4(COST[0] / (high * Decimal("1972.35"))),
        r4(COST[1] / (low * Decimal("1314.9"))),
    )
    assert (r4(share.low), r4(share.high)) == (Decimal("0.2316"), Decimal("0.7888"))
    # Unit-cost parity occupancy ignores substitution: half the budget-neutral one.
    assert r4(report.break_even_occupancy.low) == r4(neutral.low / 2)
    # The cash flow spends the capital in year 0: 300 000 + 60 000 = BRL 360 000.
    assert report.cash_flow.years[0].capital == Range.of(360000)


def test_left_at_2020_prices_the_high_end_is_unreachable(guidance, rates) -> None:
    report = evaluate(brazil(), guidance, rates)  # no price tables: the baseline stays in 2020
    # 1 478 270.43 / (1095.75 x 2400) = 0.5621; 1 678 270.43 / (1095.75 x 1200) = 1.2763.
    neutral = report.neutral_occupancy
    assert (r4(neutral.low), r4(neutral.high)) == (Decimal("0.5621"), Decimal("1.2763"))
    assert report.reach is Reach.PARTLY


def test_the_pure_arithmetic_at_both_ends_of_its_ranges() -> None:
    # 10 beds at 0.5-1.0 occupancy: 1826.25-3652.5 nights; cost 1 000 000; baseline 400-500
    # a night; substitution 0.5-1.
    inputs = PilotInputs(
        running=Range.of(1000000), capital=(), discount_rate=Range.of("0.03"),
        baseline=Range.of(400, 500), substitution=Range.of("0.5", 1),
        beds=Range.of(10), occupancy=Range.of("0.5", 1),
    )  # fmt: skip
    out = appraise(inputs)
    # Parity occupancy = 1 000 000 / (10 x 365.25 x 500) = 0.5476 to / (... x 400) = 0.6845.
    assert (r4(out.parity_occupancy.low), r4(out.parity_occupancy.high)) == (
        Decimal("0.5476"),
        Decimal("0.6845"),
    )
    # Budget-neutral occupancy: / substitution 1 at the low end, 0.5 at the high end:
    # 0.5476 and 0.6845 / 0.5 = 1.3689: reachable at the low end only.
    assert r4(out.neutral_occupancy.high) == Decimal("1.3689")
    assert out.reach is Reach.PARTLY
    # Net saving = s x B x U - T: 0.5 x 400 x 1826.25 - 1 000 000 = -634 750 to
    # 1 x 500 x 3652.5 - 1 000 000 = 826 250.
    assert out.net_saving == Range.of(-634750, 826250)
    # Break-even substitution = T / (B x U): 1 000 000 / (500 x 3652.5) = 0.5476 to
    # 1 000 000 / (400 x 1826.25) = 1.3689.
    assert (r4(out.neutral_substitution.low), r4(out.neutral_substitution.high)) == (
        Decimal("0.5476"),
        Decimal("1.3689"),
    )
    # A factor scales the stated baseline (a price-year factor x a rate): 2 doubles it.
    doubled = appraise(PilotInputs(**{**inputs.__dict__, "baseline": Range.of(200, 250),
                                      "factor": Decimal(2)}))  # fmt: skip
    assert doubled.net_saving == out.net_saving


def test_reach_exactly_at_one_is_reachable() -> None:
    # 1 461 000 / (10 x 365.25 x 400) = 1: every bed full breaks even exactly.
    inputs = PilotInputs(
        running=Range.of(1461000), capital=(), discount_rate=Range.of("0.03"),
        baseline=Range.of(400), beds=Range.of(10), occupancy=Range.of("0.8"),
    )  # fmt: skip
    assert appraise(inputs).neutral_occupancy == Range.of(1)
    assert appraise(inputs).reach is Reach.REACHABLE


def test_two_scenarios_side_by_side_in_csv(runner: CliRunner, tmp_path: Path) -> None:
    eight = tmp_path / "eight.yaml"
    eight.write_text(
        BRAZIL.read_text()
        .replace("campinas-peer-crisis-respite", "campinas-eight-beds")
        .replace("beds: 6", "beds: 8")
    )
    result = runner.invoke(app, ["pilot", str(BRAZIL), str(eight), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(PILOT_COLUMNS)
    assert [r["id"] for r in rows] == ["campinas-peer-crisis-respite", "campinas-eight-beds"]
    six, eight_ = rows
    assert (six["price_year"], six["currency"], six["basis"]) == ("2025", "BRL", "market")
    assert (six["neutral_occupancy_low"], six["neutral_occupancy_high"]) == ("0.4169", "0.9466")
    assert six["capital_outlay_low"] == "360000.00" and six["baseline_projected"]
    # Eight beds spread the same cost over a third more nights: 0.4169 x 6 / 8 = 0.3127.
    assert eight_["neutral_occupancy_low"] == "0.3127"
    json_run = runner.invoke(app, ["pilot", str(BRAZIL), str(eight), "--format", "json"])
    scenarios = json.loads(json_run.stdout)["scenarios"]
    assert scenarios["note"] is None
    # Six beds: 749.50-1276.35 a night; eight: x 6 / 8 = 562.13-957.26. The ranges overlap,
    # so each is 1st or 2nd. Eight beds' net saving: 0.5 x 1618.05 x 1753.2 nights
    # - 1 678 270.43 = -259 887 at the low end, 0.5 x 3236.11 x 2629.8 - 1 478 270.43
    # = 2 776 929 at the high end: budget-neutral at part of the range, as is six beds'.
    ranks = [(s["unit_cost_rank"]["low"], s["unit_cost_rank"]["high"]) for s in scenarios["rows"]]
    assert ranks == [("1", "2"), ("1", "2")]
    assert {s["budget_neutral"] for s in scenarios["rows"]} == {
        "budget-neutral at part of the range"
    }
    low = Decimal(json.loads(json_run.stdout)["pilots"][1]["net_annual_saving"]["low"])
    assert round(low, -3) == Decimal("-260000")


@pytest.mark.parametrize("example", [BRAZIL, INDIA])
def test_the_examples_run_on_ppp_2024_and_at_their_own_year(runner: CliRunner, example) -> None:
    for extra in ([], ["--basis", "ppp", "--price-year", "2024"]):
        result = runner.invoke(app, ["pilot", str(example), "--format", "json", *extra])
        assert result.exit_code == 0, result.output
        (pilot,) = json.loads(result.stdout)["pilots"]
        assert pilot["budget_neutral"]["substitution"] is not None


def test_pictures_draw_the_pilot_on_a_basis_and_the_break_even(
    runner: CliRunner, tmp_path: Path
) -> None:
    among, chart = tmp_path / "among.svg", tmp_path / "break-even.svg"
    args = ["pilot", str(BRAZIL), "--basis", "ppp", "--plot", str(among)]
    result = runner.invoke(app, [*args, "--plot-break-even", str(chart)])
    assert result.exit_code == 0, result.output
    svg = among.read_text()
    assert 'id="ratio-campinas-peer-crisis-respite-psychiatric-hospital"' in svg
    assert "I$ (PPP), per day" in svg  # international dollars, named as such
    drawn = chart.read_text()
    assert 'id="budget-neutral"' in drawn and 'id="neutral-occupancy"' in drawn
    assert "2024 USD (ppp)" in drawn


def test_several_pilots_in_one_file_are_one_comparison_in_every_format(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = BRAZIL.read_text()
    record = text[text.index("  - id: campinas-peer-crisis-respite") :]
    both = tmp_path / "both.yaml"
    eight = (
        record.replace("campinas-peer-crisis-respite", "campinas-eight-beds")
        .replace("beds: 6", "beds: 8")
        .replace("Peer-run crisis respite house (proposal)", "Eight-bed house")
    )
    both.write_text(text + eight)
    for fmt in ("table", "markdown", "csv", "json", "html"):
        result = runner.invoke(app, ["pilot", str(both), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "Eight-bed house" in result.stdout and "Peer-run crisis" in result.stdout
    markdown = runner.invoke(app, ["pilot", str(both), "--format", "markdown"]).stdout
    assert "## Side by side" in markdown and "| Pilot | Unit cost |" in markdown
    xlsx = tmp_path / "both.xlsx"
    result = runner.invoke(app, ["pilot", str(both), "--format", "xlsx", "--output", str(xlsx)])
    assert result.exit_code == 0, result.output


def test_the_method_is_the_one_of_the_basis_used(
    guidance, rates, request_, runner: CliRunner
) -> None:
    from cmhcost.report.pilot_wording import pilot_method

    own = evaluate(brazil(), guidance, rates, request_)
    assert "brought to the pilot's price year, 2025" in pilot_method(own)
    assert "purchasing power parities" not in pilot_method(own)
    result = runner.invoke(app, ["pilot", str(BRAZIL), "--basis", "ppp", "--format", "html"])
    assert result.exit_code == 0, result.output
    method = result.stdout[result.stdout.index("<h2>Method</h2>") :]
    assert "2024 USD (ppp)" in method and "purchasing power parities" in method


def test_peers_are_at_the_pilots_price_year_with_their_factors(runner: CliRunner) -> None:
    result = runner.invoke(app, ["pilot", str(BRAZIL), "--format", "json"])
    (pilot,) = json.loads(result.stdout)["pilots"]
    afiya = next(p for p in pilot["peers"] if p["id"] == "afiya-house")
    (step,) = afiya["adjustments"]
    # Afiya's US$ 1460 a day of 2015, by the US CPI to 2024 (x 1.323487, docs/methods.md) and
    # 2025 projected at the 2024 rate (x 1.0294952520485207): x 1.362523, then at the mean
    # BRL per USD of the rates stored for 2025.
    assert round(Decimal(step["inflation_factor"]), 6) == Decimal("1.362523")
    assert step["projection"]["years"] == [2025] and step["projection"]["from_year"] == 2024
    rate = Decimal(step["rate"])
    expected = 1460 * Decimal(step["inflation_factor"]) * rate
    assert afiya["cost"]["low"] == str(round(expected, 2))
