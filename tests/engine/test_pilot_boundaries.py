"""A pilot at its boundaries and with every input a range, through `cmhcost pilot`.

Each pilot is a small crisis house in US dollars written to a file, appraised as JSON; each figure
is worked by hand here. The house has 10 beds at 0.8 occupancy: 10 x 0.8 x 365.25 = 2922
bed-nights a year, against a hospital at USD 500 a bed-night unless a test says otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app

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
{budget_terms}      capacity: {{beds: 10, occupancy: 0.8}}
{pilot}    baselines:
      - id: hospital
        label: Hospital
        compare: budget
        cost:
          id: h
          label: Hospital night
          amount: 500
          currency: USD
          unit: bed-night
          price_year: {baseline_year}
"""

PEER = """\
  - id: {id}
    name: {id}
    place: Elsewhere
    country: US
    category: crisis
    figures:
      - id: night
        label: A bed-night
        amount: {amount}
        currency: USD
        unit: bed-night
        price_year: 2021
        source: {{document: d.txt, section: s, lines: [1, 1], quote: "{amount}"}}
"""


def appraise(
    runner: CliRunner,
    tmp_path: Path,
    budget: str = "1000000",
    budget_terms: str = "",
    pilot: str = "",
    peers: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
    baseline_year: int = 2024,
) -> dict[str, Any]:
    """`cmhcost pilot FILE --format json`, among `peers` (id: amount) when given, else the guidance."""
    path = tmp_path / "pilot.yaml"
    text = PILOT.format(
        budget=budget, budget_terms=budget_terms, pilot=pilot, baseline_year=baseline_year
    )
    path.write_text(text)
    args = ["pilot", str(path), "--format", "json", *options]
    if peers is not None:
        guidance = tmp_path / "guidance.yaml"
        records = "".join(PEER.format(id=key, amount=value) for key, value in peers.items())
        guidance.write_text(f"version: 1\nservices:\n{records}")
        args += ["--no-shipped-data", "--data", str(guidance)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)["pilots"][0]
    return report


def low_high(pair: dict[str, str]) -> tuple[str, str]:
    return pair["low"], pair["high"]


# --- Break-even occupancy: reachable up to full beds, and not beyond ---
# Break-even occupancy = annual cost / (10 beds x USD 500 x 365.25) = annual cost / 1 826 250.


@pytest.mark.parametrize(
    ("budget", "occupancy", "reach"),
    [
        # 1 826 250 / 1 826 250 = 1 exactly: every bed full every night just breaks even.
        ("1826250", ("1.0000", "1.0000"), "reachable"),
        # 1 461 000 / 1 826 250 = 0.8 to 1 exactly: still reachable at the high end.
        ("[1461000, 1826250]", ("0.8000", "1.0000"), "reachable"),
        # 1 to 2 000 000 / 1 826 250 = 1.0951: the low end is reachable (full), the high end not.
        ("[1826250, 2000000]", ("1.0000", "1.0951"), "reachable only at part of the range"),
        # 1 826 251 / 1 826 250 = 1.0000005: a bed-night more than the beds can give.
        ("1826251", ("1.0000", "1.0000"), "unreachable at this budget"),
    ],
)
def test_a_break_even_at_full_occupancy_is_reachable(
    runner: CliRunner, tmp_path: Path, budget: str, occupancy: tuple[str, str], reach: str
) -> None:
    report = appraise(runner, tmp_path, budget=budget)
    assert low_high(report["break_even_occupancy"]) == occupancy
    assert report["break_even_reach"] == reach


# --- Rank: ties count as cheaper for the worst place, never for the best ---
# The pilot's unit cost: 1 461 000 / 2922 = USD 500 a bed-night; 1 168 800 / 2922 = 400.


def test_a_peer_costing_exactly_as_much_as_the_pilot_may_come_first(
    runner: CliRunner, tmp_path: Path
) -> None:
    report = appraise(runner, tmp_path, budget="1461000", peers={"same": "500", "dearer": "501"})
    assert low_high(report["cost"]) == ("500.00", "500.00")
    # Best: 1 + peers whose high end is below 500 (none) = 1. Worst: 1 + peers whose low end is
    # at or below 500 ("same") = 2. "dearer" at 501 never comes before: 1 to 2 of 3.
    assert report["rank"]["place"] == {"low": "1", "high": "2"} and report["rank"]["of"] == 3


def test_ranks_at_the_ends_of_a_ranged_pilot(runner: CliRunner, tmp_path: Path) -> None:
    # The pilot costs 400-500; "touching-low" costs 300-400 and ends where the pilot starts,
    # "touching-high" costs 500-600 and starts where the pilot ends.
    peers = {"touching-low": "[300, 400]", "touching-high": "[500, 600]"}
    report = appraise(runner, tmp_path, budget="[1168800, 1461000]", peers=peers)
    assert low_high(report["cost"]) == ("400.00", "500.00")
    # Best: 1 + peers whose high end is below 400: "touching-low" ends at 400, not below: 1.
    # Worst: 1 + peers whose low end is at or below 500: both (300 and 500): 3. 1 to 3 of 3.
    assert report["rank"]["place"] == {"low": "1", "high": "3"}
    # Cheapest first by low end: touching-low (300), the pilot (400), touching-high (500).
    assert [p["id"] for p in report["peers"]] == ["touching-low", "test-house", "touching-high"]


def test_a_peer_wholly_cheaper_than_the_pilot_comes_before_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    report = appraise(runner, tmp_path, budget="1461000", peers={"cheaper": "499.99"})
    # 499.99 is below 500 at both ends: best 1 + 1 = 2, worst 1 + 1 = 2.
    assert report["rank"]["place"] == {"low": "2", "high": "2"}


# --- Capital: a ranged life, a ranged rate, a rate of zero ---

CAPITAL = (
    "      capital:\n        - {{label: Refurbishment, amount: {amount}, life_years: {life}}}\n"
)


def test_a_ranged_capital_life_pairs_the_long_life_with_the_low_cost(
    runner: CliRunner, tmp_path: Path
) -> None:
    terms = CAPITAL.format(amount="150000", life="[5, 10]")
    report = appraise(runner, tmp_path, budget_terms=terms)
    # EAC = C x r / (1 - (1 + r)^-n) at 3%; it shrinks as the life grows, so the low end takes
    # the long life. 10 years: 1.03^10 = 1.343916, 1 - 1 / 1.343916 = 0.255906,
    # 4500 / 0.255906 = 17 584.58. 5 years: 1.03^5 = 1.159274, 1 - 1 / 1.159274 = 0.137391,
    # 4500 / 0.137391 = 32 753.19.
    assert low_high(report["capital_per_year"]) == ("17584.58", "32753.19")
    # Unit cost: (1 000 000 + 17 584.58) / 2922 = 348.25 to (1 000 000 + 32 753.19) / 2922 = 353.44.
    assert low_high(report["cost"]) == ("348.25", "353.44")


def test_every_capital_input_ranged_pairs_each_end(runner: CliRunner, tmp_path: Path) -> None:
    terms = CAPITAL.format(amount="[100000, 150000]", life="[5, 10]")
    terms += "      discount_rate: [0.03, 0.05]\n"
    report = appraise(runner, tmp_path, budget_terms=terms)
    # Low end: the low cost, the long life, the low rate: 100 000 x 0.03 / 0.255906 = 11 723.05.
    # High end: the high cost, the short life, the high rate: 1.05^5 = 1.276282,
    # 1 - 1 / 1.276282 = 0.216474, 150 000 x 0.05 / 0.216474 = 7500 / 0.216474 = 34 646.22.
    assert low_high(report["capital_per_year"]) == ("11723.05", "34646.22")


def test_a_discount_rate_of_zero_spreads_capital_evenly(runner: CliRunner, tmp_path: Path) -> None:
    terms = CAPITAL.format(amount="150000", life="10") + "      discount_rate: 0\n"
    report = appraise(runner, tmp_path, budget_terms=terms, pilot="    pilot: {horizon_years: 2}\n")
    # At 0%: 150 000 / 10 = 15 000 a year; each year's factor is 1 / 1^t = 1, so every year's
    # discounted net is its net.
    assert low_high(report["capital_per_year"]) == ("15000.00", "15000.00")
    years = report["cash_flow"]["by_year"]
    assert [low_high(y["discount_factor"]) for y in years] == [("1.0000", "1.0000")] * 3
    assert all(y["discounted"] == y["net"] for y in years)


@pytest.mark.parametrize("rate", ["1", "-0.01"])
def test_a_discount_rate_outside_zero_to_one_is_refused(
    runner: CliRunner, tmp_path: Path, rate: str
) -> None:
    path = tmp_path / "pilot.yaml"
    path.write_text(
        PILOT.format(
            budget="1000000",
            budget_terms=f"      discount_rate: {rate}\n",
            pilot="",
            baseline_year=2024,
        )
    )
    result = runner.invoke(app, ["pilot", str(path)])
    assert result.exit_code == 1
    assert "budget.discount_rate: a discount rate is a fraction of at least 0 and below 1" in (
        result.stderr
    )


# --- The cash flow: a ranged discount rate and a ranged number of years ---


def test_a_ranged_discount_rate_discounts_more_at_the_high_rate(
    runner: CliRunner, tmp_path: Path
) -> None:
    report = appraise(
        runner,
        tmp_path,
        budget_terms="      discount_rate: [0.03, 0.05]\n",
        pilot="    pilot: {horizon_years: 2}\n",
    )
    flow = report["cash_flow"]
    assert low_high(flow["discount_rate"]) == ("0.0300", "0.0500")
    # Each year nets 2922 x 500 - 1 000 000 = 461 000 (every night replaces one).
    years = [y for y in flow["by_year"] if y["year"] > 0]
    assert [low_high(y["net"]) for y in years] == [("461000.00", "461000.00")] * 2
    # Year 1: 1 / 1.05 = 0.952381 (low, at the high rate) to 1 / 1.03 = 0.970874.
    # Year 2: 1 / 1.1025 = 0.907029 to 1 / 1.0609 = 0.942596.
    factors = [low_high(y["discount_factor"]) for y in years]
    assert factors == [("0.9524", "0.9709"), ("0.9070", "0.9426")]
    # Discounted: 461 000 x 0.952381 = 439 047.62 to x 0.970874 = 447 572.82, then
    # x 0.907029 = 418 140.59 to x 0.942596 = 434 536.71.
    discounted = [low_high(y["discounted"]) for y in years]
    assert discounted == [("439047.62", "447572.82"), ("418140.59", "434536.71")]
    # Together: 461 000 x 1.859410 = 857 188.21 to 461 000 x 1.913470 = 882 109.53.
    assert low_high(flow["discounted_net"]) == ("857188.21", "882109.53")


def test_a_ranged_horizon_and_rate_pair_the_short_horizon_with_the_high_rate(
    runner: CliRunner, tmp_path: Path
) -> None:
    report = appraise(
        runner,
        tmp_path,
        budget_terms="      discount_rate: [0.03, 0.05]\n",
        pilot="    pilot: {horizon_years: [1, 2]}\n",
    )
    flow = report["cash_flow"]
    # Low: one year at 5%, 461 000 / 1.05 = 439 047.62; high: two years at 3%,
    # 461 000 x 1.913470 = 882 109.53.
    assert low_high(flow["discounted_net"]) == ("439047.62", "882109.53")
    # Every year up to the longest horizon; the second only in the longer one.
    assert [(y["year"], y["longer_horizon_only"]) for y in flow["by_year"]] == [
        (0, False),
        (1, False),
        (2, True),
    ]


# --- On a price basis: a price year equal to the target year changes nothing ---


def test_a_pilot_priced_in_the_target_year_keeps_its_amounts(
    runner: CliRunner, tmp_path: Path
) -> None:
    terms = "      price_year: 2024\n"
    report = appraise(runner, tmp_path, budget_terms=terms, options=("--price-year", "2024"))
    # Price year 2024 to 2024: inflation factor 1; US dollars to 2024 international dollars at
    # PPP US 2024 = 1. So 1 000 000 / 2922 = 342.23 and the hospital's 500, as at market rates.
    assert report["basis"] == "2024 USD (ppp)" and report["price_year"] == 2024
    assert low_high(report["cost"]) == ("342.23", "342.23")
    (baseline,) = report["baselines"]
    assert low_high(baseline["cost"]) == ("500.00", "500.00")
    assert low_high(baseline["ratio"]) == ("0.6845", "0.6845")  # 342.23 / 500


def test_a_pilot_a_year_before_the_target_year_moves_by_that_years_inflation(
    runner: CliRunner, tmp_path: Path
) -> None:
    terms = "      price_year: 2023\n"
    options = ("--price-year", "2024")
    report = appraise(runner, tmp_path, budget_terms=terms, options=options, baseline_year=2023)
    # US CPI 2024: 2.94952520485207%: 342.2313 x 1.0294952520 = 352.33; 500 x 1.0294953 = 514.75.
    assert low_high(report["cost"]) == ("352.33", "352.33")
    (baseline,) = report["baselines"]
    assert low_high(baseline["cost"]) == ("514.75", "514.75")
    # Both sides move by the same factor: the ratio stays 342.23 / 500 = 0.6845.
    assert low_high(baseline["ratio"]) == ("0.6845", "0.6845")


def test_a_baseline_of_an_earlier_price_year_breaks_even_at_the_pilots_prices(
    runner: CliRunner, tmp_path: Path
) -> None:
    terms = "      price_year: 2024\n"
    options = ("--price-year", "2024")
    report = appraise(runner, tmp_path, budget_terms=terms, options=options, baseline_year=2023)
    # The hospital's USD 500 of 2023 at 2024 prices: x (1 + US CPI 2024 2.94952520485207 / 100)
    # = 514.75. Break-even budget 514.7476 x 2922 = 1 504 092.56; occupancy
    # 1 000 000 / (10 x 514.7476 x 365.25) = 0.5319; saving 1 504 092.56 - 1 000 000.
    assert low_high(report["break_even_budget"]) == ("1504092.56", "1504092.56")
    assert low_high(report["break_even_occupancy"]) == ("0.5319", "0.5319")
    assert low_high(report["annual_saving"]) == ("504092.56", "504092.56")


def test_amounts_in_another_currency_include_the_horizon(runner: CliRunner, tmp_path: Path) -> None:
    pilot = "    pilot: {horizon_years: 1}\n"
    report = appraise(runner, tmp_path, pilot=pilot, options=("--currency", "EUR"))
    # At the February 2021 rate of the shipped file, USD 1.2084 a euro: the house's
    # 1 000 000 / 2922 = USD 342.23 is EUR 283.21; the hospital's USD 500 is EUR 413.77.
    assert report["currency"] == "EUR"
    assert low_high(report["cost"]) == ("283.21", "283.21")
    assert low_high(report["baselines"][0]["cost"]) == ("413.77", "413.77")
    # One year at 3%: running USD 1 000 000 = EUR 827 540.55; avoided 2922 x 500 = USD 1 461 000
    # = EUR 1 209 036.74; net 461 000 / 1.2084 = 381 496.19; discounted 381 496.19 / 1.03 =
    # EUR 370 384.65.
    flow = report["cash_flow"]
    (year,) = [y for y in flow["by_year"] if y["year"] == 1]
    assert low_high(year["running"]) == ("827540.55", "827540.55")
    assert low_high(year["avoided"]) == ("1209036.74", "1209036.74")
    assert low_high(year["net"]) == ("381496.19", "381496.19")
    assert low_high(year["discounted"]) == ("370384.65", "370384.65")
    assert low_high(flow["discounted_net"]) == ("370384.65", "370384.65")


def test_the_record_a_pilot_replaces_leaves_the_ranking(runner: CliRunner, tmp_path: Path) -> None:
    pilot = "    pilot: {replaces: old-house}\n"
    peers = {"old-house": "450", "other-house": "600"}
    report = appraise(runner, tmp_path, budget="1461000", pilot=pilot, peers=peers)
    # The pilot (USD 500) stands in for old-house (450): only other-house (600) is ranked with it.
    assert [p["id"] for p in report["peers"]] == ["test-house", "other-house"]
    assert report["rank"]["place"] == {"low": "1", "high": "1"} and report["rank"]["of"] == 2


def test_a_substitution_of_zero_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "pilot.yaml"
    text = PILOT.format(
        budget="1000000",
        budget_terms="",
        pilot="    pilot: {substitution: 0}\n",
        baseline_year=2024,
    )
    path.write_text(text)
    result = runner.invoke(app, ["pilot", str(path)])
    assert result.exit_code == 1
    assert "pilot.substitution: a share above 0 and at most 1" in result.stderr


def test_a_pilot_in_a_records_place_may_not_drop_a_figure_the_guidance_cites(
    runner: CliRunner, tmp_path: Path
) -> None:
    # old-house's night is restated by cites-it (same_as); a pilot that takes old-house's id and
    # place has no such figure, so the guidance with the pilot among it cannot be drawn.
    records = PEER.format(id="old-house", amount="450") + PEER.format(id="cites-it", amount="450")
    citing = "        same_as: old-house/night\n"
    records = records.replace("price_year: 2021\n", "price_year: 2021\n" + citing)
    records = records.replace(citing, "", 1)  # only cites-it's night restates the other
    guidance = tmp_path / "guidance.yaml"
    guidance.write_text(f"version: 1\nservices:\n{records}")
    text = PILOT.format(
        budget="1000000",
        budget_terms="",
        pilot="    pilot: {replaces: old-house}\n",
        baseline_year=2024,
    ).replace("id: test-house", "id: old-house")
    path = tmp_path / "pilot.yaml"
    path.write_text(text)
    args = ["pilot", str(path), "--no-shipped-data", "--data", str(guidance)]
    assert runner.invoke(app, args).exit_code == 0  # the appraisal alone stands
    result = runner.invoke(app, [*args, "--plot", str(tmp_path / "among.svg")])
    assert result.exit_code == 1
    assert "no figure 'old-house/night' in the data" in result.stderr
    assert not (tmp_path / "among.svg").exists()
