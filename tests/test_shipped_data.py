"""The shipped dataset, checked against figures typed from the source text (not from the YAML)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cmhcost.conversion.exchange import RateTable
from cmhcost.domain.money import Range
from cmhcost.engine.audit import check_budgets, check_usd
from cmhcost.loading.reader import (
    iter_figures,
    iter_sources,
    load_rates,
    load_services,
    shipped_rates,
    shipped_services,
)
from cmhcost.schema.services import Category, Figure


@pytest.fixture(scope="module")
def data():
    return load_services([shipped_services()])


def figures_of(data, record: str) -> list[Figure]:
    service = data.services[record]
    return [*service.figures, *(b.cost for b in service.baselines if b.cost)]


# record, amount as printed, currency, unit, printed USD, conversion month, document line
TYPED_FROM_THE_TEXT = [
    ("afiya-house", "1460", "USD", "person-day", None, None, 1888),
    ("afiya-house", "2695", "USD", "person-day", None, None, 1888),
    ("link-house", "127", "GBP", "bed-night", "176", "2021-02", 2121),
    ("link-house", "467000", "GBP", "service-year", "647000", "2021-03", 2117),
    ("tupu-ake", "297", "NZD", "bed-night", "213", "2021-02", 2664),
    ("tupu-ake", "1000", "NZD", "bed-night", "720", "2021-03", 2670),
    ("bet-unit-blakstad", "8800", "NOK", "person-day", "1040", "2021-02", 3061),
    ("kliniken-heidenheim", "9200000", "EUR", "service-year", "10900000", "2021-03", 3386),
    ("kliniken-heidenheim", "69.50", "EUR", "capita-year", "82.50", "2021-02", 3388),
    ("soteria-berne", "673", "CHF", "person-day", "740", "2021-02", 3684),
    ("caps-iii-brasilandia", "1100", "BRL", "person-month", "200", "2021-02", 4251),
    ("caps-iii-brasilandia", "500000", "BRL", "service-month", "88200", "2021-03", 4250),
    ("hand-in-hand", "33", "GEL", "person-day", "10", "2021-03", 7028),
    ("hand-in-hand", "29", "GEL", "person-day", "8.70", "2021-03", 7028),
    ("home-again", "9060", "INR", "person-month", "123", "2021-02", 7398),
    ("home-again", "29245", "INR", "person-month", "426", "2021-03", 7404),
    ("shared-lives-mental-health-crisis", "672", "GBP", "person-week", "940", "2021-02", 7977),
    ("shared-lives-mental-health-crisis", "3213", "GBP", "person-week", "4485", "2021-02", 7979),
    ("israel-supportive-housing", "476", "ILS", "bed-night", "145", "2021-03", 11460),
    ("maryland-residential-crisis", "3046", "USD", "episode", None, None, 11468),
    ("maryland-residential-crisis", "5549", "USD", "episode", None, None, 11470),
    ("germany-ect-payment", "271", "EUR", "person-day", "328", "2021-03", 11509),
]


@pytest.mark.parametrize(
    ("record", "amount", "currency", "unit", "usd", "month", "line"), TYPED_FROM_THE_TEXT
)
def test_figure_is_recorded_as_printed(
    data, record, amount, currency, unit, usd, month, line
) -> None:
    matches = [
        f
        for f in figures_of(data, record)
        if f.amount == Range.of(amount) and f.currency == currency
    ]
    assert len(matches) == 1, f"{record}: {currency} {amount} not found exactly once"
    figure = matches[0]
    assert figure.unit.value == unit
    assert figure.source.lines[0] <= line <= figure.source.lines[1]
    if usd is None:
        assert figure.usd is None
    else:
        assert figure.usd.amount == Range.of(usd) and figure.usd.as_of == month


def test_ranges_stay_ranges(data) -> None:
    # "approximately R$ 1200–R$ 2400 (US$ 210–420)"; "between ˀ40–394 (uS$ 12–120)aj per day"
    caps = [f for f in figures_of(data, "caps-iii-brasilandia") if f.amount == Range.of(1200, 2400)]
    assert caps and caps[0].usd.amount == Range.of(210, 420)
    israel = [
        f for f in figures_of(data, "israel-supportive-housing") if f.amount == Range.of(40, 394)
    ]
    assert israel and israel[0].usd.amount == Range.of(12, 120)


def test_link_house_baseline_is_three_times_more(data) -> None:
    relative = data.services["link-house"].baselines[0].relative
    assert relative.relation.value == "baseline-times" and relative.value == Range.of(3)


def test_every_figure_context_and_relation_has_provenance(data) -> None:
    missing = [(record, loc) for record, loc, source in iter_sources(data) if source is None]
    assert missing == []


def test_the_guidance_taxonomy_is_covered(data) -> None:
    categories = {s.category for s in data.services.values()}
    assert {Category.CRISIS, Category.HOSPITAL_BASED, Category.COMMUNITY_MENTAL_HEALTH_CENTRE,
            Category.PEER_SUPPORT, Category.COMMUNITY_OUTREACH, Category.SUPPORTED_LIVING,
            Category.LINKAGE, Category.FINANCING} <= categories  # fmt: skip


def test_the_hand_in_hand_budget_is_checked_against_its_stated_daily_cost(data) -> None:
    # "a yearly budget of about 300 000 Georgian lari" for the "30 adults" against "ႌ33" a day:
    # 300 000 / 30 / 365.25 = 27.38 a day, 17% below the GEL 33 stated.
    (check,) = [c for c in check_budgets(data) if c.service.id == "hand-in-hand"]
    expected = Decimal(300000) / 30 / Decimal("365.25")
    assert check.derived == Range.of(expected)
    assert (
        round(check.difference_pct.low, 1)
        == round((expected - 33) / 33 * 100, 1)
        == Decimal("-17.0")
    )


def test_the_guidance_usd_equivalents_mostly_come_back(data) -> None:
    rates = RateTable(load_rates(shipped_rates()).sets)
    checks = list(check_usd(data, rates))
    assert all(c.computed is not None for c in checks), (
        "every printed USD equivalent has a stored rate"
    )
    tupu = next(
        c for c in checks if c.service.id == "tupu-ake" and c.figure.amount == Range.of(297)
    )
    assert abs(tupu.deviation_pct) < 1  # NZ$ 297 is US$ 213 at the ECB rates of 1 February 2021
    unflagged = [f"{c.service.id}/{c.figure.id}" for c in checks if c.off and not c.figure.flags]
    assert unflagged == [], "a printed USD equivalent more than 2% off the stored rate needs a flag"


def test_ids_are_unique_across_the_file(data) -> None:
    figures = [(service_id, loc) for service_id, _, loc, _ in iter_figures(data)]
    assert len(figures) == len(set(map(str, figures)))


@pytest.mark.parametrize(
    ("day", "currency", "ecb"),
    # ECB euro reference rates, eurofxref-hist: 2021-02-01 USD 1.2084, GBP 0.882; 2015-01-02 JPY 145.21.
    [
        ("2021-02-01", "USD", "1.2084"),
        ("2021-02-01", "GBP", "0.882"),
        ("2015-01-02", "JPY", "145.21"),
    ],
)
def test_offline_rates_are_the_ecb_reference_rates(day: str, currency: str, ecb: str) -> None:
    from datetime import date

    rates = RateTable(load_rates(shipped_rates()).sets)
    result = rates.convert(Range.of(1), "EUR", currency, date.fromisoformat(day))
    assert result.amount == Range.of(ecb)
    assert result.rate_date == date.fromisoformat(day)
