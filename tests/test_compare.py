"""The engine, checked against ratios worked out by hand from the guidance's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cmhcost.compare import Row, SkipReason, compare, relative_ratio
from cmhcost.currency import RateTable
from cmhcost.dataset import load_rates, load_services
from cmhcost.models import Category, Relation, RelativeCost
from cmhcost.money import Range
from cmhcost.options import Options, Per, SortKey
from tests.conftest import FIXTURES


@pytest.fixture
def fixture_data():
    return load_services([FIXTURES / "valid" / "services.yaml"])


@pytest.fixture
def fixture_rates() -> RateTable:
    return RateTable(load_rates(FIXTURES / "valid" / "rates.yaml").sets)


def rows_by_id(data, rates, **options) -> dict[str, Row]:
    return {row.service.id: row for row in compare(data, rates, Options(**options)).rows}


def test_tupu_ake_costs_297_over_1000_of_a_hospital_bed(fixture_data, fixture_rates) -> None:
    # NZ$ 297 per bed per night against NZ$ 1000 per night: 0.297, whatever the exchange rate.
    row = rows_by_id(fixture_data, fixture_rates)["tupu-ake"]
    assert row.ratio == Range.of("0.297")
    assert row.saving_pct == Range.of("70.3")
    # In USD each figure converts at its own month: 297 / 1.6 * 1.2 and 1000 / 1.7 * 1.25.
    assert row.cost == Range.of("222.75")
    assert row.baseline_cost.low == Decimal(1000) * Decimal("1.25") / Decimal("1.7")


def test_three_times_more_gives_a_third(fixture_data, fixture_rates) -> None:
    row = rows_by_id(fixture_data, fixture_rates, currency="GBP")["link-house"]
    assert row.ratio == Range.of(1) / Range.of(3)
    assert row.cost == Range.of(127)
    assert row.baseline_cost == Range.of(381)  # the baseline the words imply: 3 x 127
    assert any("three times more" in note for note in row.notes)


def test_a_monthly_cost_against_a_daily_range_converts_explicitly(
    fixture_data, fixture_rates
) -> None:
    # R$ 1100 per user per month is 1100 / (365.25 / 12) a day against R$ 1200-2400 a day.
    row = rows_by_id(fixture_data, fixture_rates, currency="BRL")["caps-iii-brasilandia"]
    per_day = Decimal(1100) / (Decimal("365.25") / 12)
    assert row.cost == Range.of(per_day)
    assert row.ratio.low == per_day / 2400 and row.ratio.high == per_day / 1200
    assert "per person-month converted to per person-day (365.25/12 days)" in row.notes


def test_per_month_scales_the_baseline_not_the_service(fixture_data, fixture_rates) -> None:
    row = rows_by_id(fixture_data, fixture_rates, currency="BRL", per=Per.MONTH)[
        "caps-iii-brasilandia"
    ]
    assert row.cost == Range.of(1100)
    assert row.baseline_cost == Range.of(1200, 2400).scale(Decimal("365.25") / 12)


def test_a_claim_its_figures_do_not_give_is_shown_beside_them(fixture_data, fixture_rates) -> None:
    # 3046 / 5549 = 0.549; "44% higher" would make it 1 / 1.44 = 0.694.
    row = rows_by_id(fixture_data, fixture_rates)["maryland-residential-crisis"]
    assert row.ratio == Range.of(3046) / Range.of(5549)
    assert row.claimed_ratio == Range.of(1) / Range.of("1.44")
    assert any(
        "the text says '44% higher' (ratio 0.69); its figures give 0.55" in n for n in row.notes
    )


def test_what_cannot_be_compared_is_listed_with_a_reason(fixture_data, fixture_rates) -> None:
    skipped = {
        (s.service.id, s.item): s.message
        for s in compare(fixture_data, fixture_rates, Options()).not_compared
    }
    assert (
        skipped[("aung-clinic", "osf-grant-2015")]
        == "the guidance gives no baseline for this service"
    )
    assert ("caps-iii-brasilandia", "cost-per-month") in skipped


@pytest.mark.parametrize(
    ("relation", "value", "expected"),
    [
        (Relation.BASELINE_TIMES, Range.of(3), Range.of(1) / Range.of(3)),
        (Relation.SERVICE_PERCENT_LESS, Range.of(30, 40), Range.of("0.60", "0.70")),
        (Relation.SERVICE_PERCENT_OF, Range.of(75), Range.of("0.75")),
        (Relation.BASELINE_PERCENT_MORE, Range.of(25), Range.of("0.8")),
    ],
)
def test_relative_statements_resolve_to_ratios(relation, value, expected) -> None:
    source = {"document": "d.txt", "section": "s", "lines": (1, 1), "quote": "q"}
    relative = RelativeCost(relation=relation, value=value, words="w", source=source)
    assert relative_ratio(relative) == expected


def test_filters_and_sorting(fixture_data, fixture_rates) -> None:
    only = compare(fixture_data, fixture_rates, Options(categories=frozenset({Category.CRISIS})))
    assert {r.service.id for r in only.rows} == {"tupu-ake", "link-house"}
    by_ratio = compare(fixture_data, fixture_rates, Options(sort=SortKey.RATIO)).rows
    assert [r.service.id for r in by_ratio][0] == "caps-iii-brasilandia"
    assert [r.ratio.low for r in by_ratio] == sorted(r.ratio.low for r in by_ratio)
    countries = compare(fixture_data, fixture_rates, Options(countries=frozenset({"NZ"})))
    assert [r.service.id for r in countries.rows] == ["tupu-ake"]


def test_per_capita_never_mixes_with_per_person(fixture_rates) -> None:
    from cmhcost.dataset import parse_services

    text = (
        (FIXTURES / "valid" / "pilot-minimal.yaml")
        .read_text()
        .replace("currency: KES", "currency: USD")
    )
    text = text.replace("unit: bed-night", "unit: capita-year") + (
        "    baselines:\n      - id: hospital\n        label: Hospital\n        cost:\n"
        "          id: h\n          label: Hospital day\n          amount: 100\n          currency: USD\n"
        "          unit: person-day\n          source: {document: d, section: s, lines: [1, 1], quote: q}\n"
    )
    result = compare(parse_services(text), fixture_rates, Options())
    assert result.rows == ()
    skipped = result.not_compared[0]
    assert skipped.reason is SkipReason.UNITS_DO_NOT_CONVERT
    assert "per person-day and the service per capita-year" in skipped.message
