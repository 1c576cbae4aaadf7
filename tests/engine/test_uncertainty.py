"""Sensitivity analyses and PSA of a pilot, worked by hand and checked by statistics."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest

from cmhcost.domain.errors import CmhcostError, DatasetError, UsageError
from cmhcost.domain.money import Range
from cmhcost.engine.columns import Column, MixedBranch
from cmhcost.engine.parameters import Parameter, parameters_of
from cmhcost.engine.pilot import PilotRequest, appraise, evaluate
from cmhcost.engine.pilot_model import PilotModel, model_of, outcomes, with_inputs
from cmhcost.engine.psa import psa
from cmhcost.engine.sensitivity import one_way, two_way
from cmhcost.loading.price_tables import shipped_tables
from cmhcost.loading.reader import load_services

EXAMPLES = Path(__file__).parents[2] / "examples"
REQUEST = PilotRequest(shipped_tables())

# A pilot small enough to work by hand: 10 beds, a running budget of 730 500 a year, a baseline
# of 300 a day, half the stays substituting; no capital, no horizon.
PILOT = """\
version: 1
services:
  - id: test-house
    name: Test crisis house
    place: Testville
    country: BR
    category: crisis
    budget:
      currency: BRL
      price_year: 2025
      lines:
        - label: Staff
          amount: 730500
      capacity:
        beds: 10
        occupancy: {occupancy}
    pilot:
      substitution: {substitution}
{uncertainty}
    baselines:
      - id: hospital
        label: Hospital day
        compare: budget
        cost:
          id: hospital-day
          label: Hospital day
          amount: {baseline}
          currency: BRL
          unit: person-day
          price_year: 2025
"""


def pilot(
    tmp_path: Path,
    guidance,
    rates,
    occupancy: str = "0.8",
    baseline: str = "300",
    substitution: str = "0.5",
    uncertainty: str = "",
    spread: Decimal | None = None,
) -> tuple[PilotModel, tuple[Parameter, ...]]:
    text = PILOT.format(
        occupancy=occupancy, baseline=baseline, substitution=substitution, uncertainty=uncertainty
    )
    path = tmp_path / "pilot.yaml"
    path.write_text(text, encoding="utf-8")
    pilots = load_services([path])
    service = pilots.services["test-house"]
    model = model_of(evaluate(service, guidance, rates, REQUEST))
    return model, parameters_of(model, pilots.origins[service.id], spread)


def test_every_parameter_fixed_one_way_is_the_deterministic_pilot(
    tmp_path: Path, guidance, rates
) -> None:
    model, parameters = pilot(tmp_path, guidance, rates)
    service = model.service
    report = evaluate(service, guidance, rates, REQUEST)
    result = one_way(model, parameters)
    assert result.swings == ()  # nothing varies
    # Bed-nights 10 x 0.8 x 365.25 = 2922; unit cost 730 500 / 2922 = 250; ratio 250 / 300;
    # annual saving 0.5 x (300 x 2922 - 730 500) = 0.5 x 146 100 = 73 050; net saving
    # 0.5 x 876 600 - 730 500 = -292 200; budget-neutral occupancy
    # 730 500 / (10 x 365.25 x 300 x 0.5) = 730 500 / 547 875 = 1.3333.
    base = result.base
    assert base["unit_cost"] == report.cost.low == Decimal(250)
    assert base["annual_saving"] == report.annual_saving.low == Decimal(73050)
    assert base["net_saving"] == report.net_saving.low == Decimal(-292200)
    assert base["ratio"] == report.comparisons[0].ratio.low
    assert round(base["neutral_occupancy"], 4) == Decimal("1.3333")
    assert base["horizon_net"] is None


def test_every_parameter_fixed_psa_collapses_to_the_pilot_exactly(
    tmp_path: Path, guidance, rates
) -> None:
    model, parameters = pilot(tmp_path, guidance, rates)
    result = psa(model, parameters, 1000, seed=1)
    for summary in result.summaries:
        exact = result.base[summary.outcome]
        assert (summary.mean, summary.median, summary.low, summary.high) == (exact,) * 4
        assert summary.se == summary.sd == 0
    assert (result.cheaper.value, result.cheaper.se) == (1, 0)  # 250 < 300 on every draw
    assert (result.saving.value, result.saving.se) == (0, 0)  # -292 200 on every draw


def test_a_two_parameter_tornado_worked_by_hand(tmp_path: Path, guidance, rates) -> None:
    model, parameters = pilot(
        tmp_path, guidance, rates, occupancy="[0.6, 1.0]", baseline="[200, 400]"
    )
    result = one_way(model, parameters)
    names = [s.parameter.name for s in result.swings]
    # Baseline 200: 0.5 x 200 x 2922 - 730 500 = -438 300; 400: 584 400 - 730 500 = -146 100;
    # swing 292 200. Occupancy 0.6: 0.5 x 300 x 2191.5 - 730 500 = -401 775; 1.0:
    # 0.5 x 300 x 3652.5 - 730 500 = -182 625; swing 219 150. The baseline comes first.
    assert names == ["baselines[0].cost.amount", "budget.capacity.occupancy"]
    first, second = result.swings
    assert (first.at_low["net_saving"], first.at_high["net_saving"]) == (-438300, -146100)
    assert first.swing() == 292200
    assert (second.at_low["net_saving"], second.at_high["net_saving"]) == (-401775, -182625)
    assert second.swing() == 219150
    # Unit cost at occupancy 1.0: 730 500 / 3652.5 = 200; the baseline does not move it.
    assert second.at_high["unit_cost"] == 200
    assert first.at_low["unit_cost"] == first.at_high["unit_cost"] == 250
    # Base: the midpoints 0.8 and 300, the deterministic values of the first test.
    assert result.base["net_saving"] == -292200


def test_two_way_grid_and_its_budget_neutral_line(tmp_path: Path, guidance, rates) -> None:
    model, parameters = pilot(tmp_path, guidance, rates, occupancy="[0.6, 1.0]")
    grid = two_way(model, parameters, "occupancy", "substitution", 3)
    # Occupancy 0.6, 0.8, 1.0; substitution (fixed, so its whole scale) 0.1, 0.55, 1.0.
    assert grid.x_values == (Decimal("0.6"), Decimal("0.8"), Decimal("1.0"))
    assert grid.y_values == (Decimal("0.1"), Decimal("0.55"), Decimal("1.0"))
    # Occupancy 0.8, substitution 1: 300 x 2922 - 730 500 = 146 100.
    assert grid.saving[1][2] == 146100
    # Net saving is zero where s x 300 x 2922 = 730 500: s = 0.8333 (linear in s, so exact).
    assert round(grid.neutral[1], 4) == Decimal("0.8333")
    # At occupancy 0.6 it would need s = 730 500 / (300 x 2191.5) = 1.111: not within the grid.
    assert grid.neutral[0] is None
    with pytest.raises(UsageError, match="names no parameter"):
        two_way(model, parameters, "occupancy", "nonsense", 3)


def test_probability_of_saving_against_a_closed_form(tmp_path: Path, guidance, rates) -> None:
    named = (
        "      uncertainty:\n"
        "        pilot.substitution: {distribution: uniform, min: 0.6, max: 1.0}\n"
    )
    model, parameters = pilot(tmp_path, guidance, rates, substitution="0.8", uncertainty=named)
    n = 100_000
    result = psa(model, parameters, n, seed=7)
    # Net saving s x 876 600 - 730 500 > 0 when s > 0.833333: with s ~ U(0.6, 1),
    # P = (1 - 0.833333) / 0.4 = 0.416667.
    p = (1 - Decimal(730500) / Decimal(876600)) / Decimal("0.4")
    se = math.sqrt(float(p) * (1 - float(p)) / n)
    assert abs(float(result.saving.value - p)) < 4 * se
    assert abs(float(result.saving.se) - se) < 0.0001
    # Mean net saving: E[s] = 0.8, so 0.8 x 876 600 - 730 500 = -29 220.
    net = next(s for s in result.summaries if s.outcome == "net_saving")
    assert abs(net.mean - Decimal(-29220)) < 4 * net.se


def test_columns_give_what_each_draw_gives_in_decimal(tmp_path: Path, guidance, rates) -> None:
    model, parameters = pilot(
        tmp_path, guidance, rates, occupancy="[0.6, 1.0]", baseline="[200, 400]"
    )
    result = psa(model, parameters, 50, seed=3)
    for i in range(0, 50, 7):
        point = {
            p.name: Range.of(Decimal(repr(result.samples[p.name][i])))
            for p in parameters
            if p.varies
        }
        exact = outcomes(with_inputs(model, point))
        for name in ("unit_cost", "ratio", "net_saving", "neutral_occupancy"):
            assert math.isclose(result.samples[name][i], float(exact[name].low), rel_tol=1e-12)


def test_a_column_refuses_a_branch_its_draws_do_not_share() -> None:
    column = Column([0.5, 1.5])
    assert (column * 2).values == [1.0, 3.0]
    assert (1 - column).values == [0.5, -0.5]
    assert (column < 2) is True
    with pytest.raises(MixedBranch):
        _ = column < 1


def test_the_brazil_example_has_three_ranged_parameters(guidance, rates) -> None:
    pilots = load_services([EXAMPLES / "brazil-peer-crisis-respite.yaml"])
    service = pilots.services["campinas-peer-crisis-respite"]
    model = model_of(evaluate(service, guidance, rates, REQUEST))
    parameters = parameters_of(model, pilots.origins[service.id])
    varying = sorted(p.name for p in parameters if p.varies)
    assert varying == [
        "baselines[0].cost.amount",
        "budget.capacity.occupancy",
        "budget.lines[0].amount",
    ]
    # With every range at its end the model gives the pilot's own interval results.
    report = evaluate(service, guidance, rates, REQUEST)
    found = outcomes(model.inputs)
    assert found["net_saving"] == report.net_saving
    # The horizon from the cash flow's years is the pilot's own horizon net, exactly.
    assert found["horizon_net"] == appraise(model.inputs).horizon_net
    spread = parameters_of(model, pilots.origins[service.id], Decimal("0.2"))
    assert all(p.varies for p in spread)  # every point input gets a spread


def test_impossible_distributions_in_the_file_are_errors_with_the_line(
    tmp_path: Path, guidance, rates
) -> None:
    bad = (
        "      uncertainty:\n"
        "        pilot.substitution: {distribution: beta, alpha: -1, beta: 2}\n"
        "        pilot.nonsense: {base: 2}\n"
    )
    with pytest.raises(DatasetError) as caught:
        pilot(tmp_path, guidance, rates, uncertainty=bad)
    problems = caught.value.problems
    assert [p.line for p in problems] == [20, 21]
    assert "alpha" in problems[0].message
    assert "no input 'pilot.nonsense'" in problems[1].message


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("pilot.substitution: {distribution: uniform, min: 0.5, max: 1.5}", "outside 0 to 1"),
        ("pilot.substitution: {base: 1.2}", "a share lies within 0 to 1"),
        ("baselines[0].cost.amount: {distribution: normal, mean: 300, sd: 200}", "0 or less"),
        ("baselines[0].cost.amount: {base: -3}", "must be above 0"),
    ],
)
def test_draws_the_arithmetic_cannot_take_are_refused(
    tmp_path: Path, guidance, rates, entry: str, message: str
) -> None:
    with pytest.raises(DatasetError, match=message) as caught:
        pilot(tmp_path, guidance, rates, uncertainty=f"      uncertainty:\n        {entry}\n")
    assert caught.value.problems[0].line == 20


def test_column_arithmetic_element_by_element() -> None:
    a, b = Column([1.0, 2.0]), Column([4.0, 8.0])
    assert (b - a).values == [3.0, 6.0] and (3 - a).values == [2.0, 1.0]
    assert (b / a).values == [4.0, 4.0] and (8 / b).values == [2.0, 1.0]
    assert (a**2).values == [1.0, 4.0] and (2**a).values == [2.0, 4.0]
    assert (-a).values == [-1.0, -2.0] and (a + Decimal("0.5")).values == [1.5, 2.5]
    assert a * b is a * b  # a result is remembered against its operand
    assert (a <= 2) and (b > 3) and (b >= 4) and (a != 0) and bool(a) and not (a == 0)
    assert a.__add__("x") is NotImplemented
    with pytest.raises(TypeError, match="compares with numbers"):
        _ = a < "x"  # type: ignore[operator]
    assert (Column([]) < 1) is False
    with pytest.raises(MixedBranch):
        _ = Column([1.0, 2.0]) == Column([1.0, 3.0])


def test_draws_that_take_different_branches_are_run_apart(guidance, rates) -> None:
    # The furniture lasts 5 years, the horizon is 5: with a 20% spread on every point input, some
    # draws replace it within the horizon and others do not, so chunks are halved and the last
    # few draws run one by one in Decimal; each draw's outcomes are still its own.
    pilots = load_services([EXAMPLES / "brazil-peer-crisis-respite.yaml"])
    service = pilots.services["campinas-peer-crisis-respite"]
    model = model_of(evaluate(service, guidance, rates, REQUEST))
    parameters = parameters_of(model, pilots.origins[service.id], Decimal("0.2"))
    result = psa(model, parameters, 40, seed=5)
    for i in (0, 17, 39):
        point = {p.name: Range.of(Decimal(repr(result.samples[p.name][i]))) for p in parameters}
        exact = outcomes(with_inputs(model, point))
        assert math.isclose(result.samples["horizon_net"][i], float(exact["horizon_net"].low),
                            rel_tol=1e-9)  # fmt: skip
    with pytest.raises(CmhcostError, match="at least 2 draws"):
        psa(model, parameters, 1, seed=5)


def test_progress_moves_while_drawing(tmp_path: Path, guidance, rates) -> None:
    model, parameters = pilot(tmp_path, guidance, rates, occupancy="[0.6, 1.0]")
    seen: list[int] = []
    psa(model, parameters, 12_000, seed=1, progress=seen.append)
    assert seen == [5000, 10000, 12000]
