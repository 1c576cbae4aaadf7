"""The engine, checked against ratios worked out by hand from the guidance's figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cmhcost.conversion.exchange import RateTable
from cmhcost.domain.choices import Denomination, Per, Selection, SortKey
from cmhcost.domain.money import Range
from cmhcost.engine.compare import Row, SkipReason, compare, relative_ratio
from cmhcost.loading.reader import load_rates, load_services
from cmhcost.schema.services import Category, Relation, RelativeCost
from tests.conftest import FIXTURES


@pytest.fixture
def fixture_data():
    return load_services([FIXTURES / "valid" / "services.yaml"])


@pytest.fixture
def fixture_rates() -> RateTable:
    return RateTable(load_rates(FIXTURES / "valid" / "rates.yaml").sets)


def rows_by_id(data, rates, **money) -> dict[str, Row]:
    rows = compare(data, rates, denomination=Denomination(**money)).rows
    return {row.service.id: row for row in rows}


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
    assert "per person-month converted to per person-day (÷ 365.25/12 days)" in row.notes


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
        (s.service.id, s.item): s.message for s in compare(fixture_data, fixture_rates).not_compared
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
    only = compare(fixture_data, fixture_rates, Selection(categories=frozenset({Category.CRISIS})))
    assert {r.service.id for r in only.rows} == {"tupu-ake", "link-house"}
    by_ratio = compare(fixture_data, fixture_rates, Selection(sort=SortKey.RATIO)).rows
    assert [r.service.id for r in by_ratio][0] == "caps-iii-brasilandia"
    assert [r.ratio.low for r in by_ratio] == sorted(r.ratio.low for r in by_ratio)
    countries = compare(fixture_data, fixture_rates, Selection(countries=frozenset({"NZ"})))
    assert [r.service.id for r in countries.rows] == ["tupu-ake"]


def test_per_capita_never_mixes_with_per_person(fixture_rates) -> None:
    from cmhcost.loading.reader import parse_services

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
    result = compare(parse_services(text), fixture_rates)
    assert result.rows == ()
    skipped = result.not_compared[0]
    assert skipped.reason is SkipReason.UNITS_DO_NOT_CONVERT
    assert "per person-day and the service per capita-year" in skipped.message


# --- One comparison per claim, on a basis that means something (shipped data) ---


@pytest.fixture(scope="module")
def shipped():
    from cmhcost.loading.reader import shipped_rates, shipped_services

    return load_services([shipped_services()]), RateTable(load_rates(shipped_rates()).sets)


def test_one_row_per_service_figure_and_claim_with_every_quote(shipped) -> None:
    data, rates = shipped
    rows = compare(data, rates).rows
    keys = [(r.service.id, r.figure.id, r.ratio, r.cost, r.baseline_cost) for r in rows]
    assert len(keys) == len(set(keys))
    (trieste,) = [r for r in rows if r.service.id == "trieste-network"]
    # The guidance (002, lines 10110-10112, 2018) and the technical package (004, lines 3184-3186,
    # 2019) quote the same 37%: one row, both quotes among its sources, both flags among its flags.
    quoted = {(s.document[:3], s.lines) for s in trieste.sources}
    assert {("002", (10110, 10112)), ("004", (3184, 3186)), ("004", (3182, 3184))} <= quoted
    assert trieste.ratio == Range.of("0.37")
    assert any("dates the 37% to 2019" in flag for flag in trieste.flags)


def test_an_annual_total_stays_an_annual_total(shipped) -> None:
    data, rates = shipped
    for per in Per:
        rows = compare(data, rates, denomination=Denomination(per=per, currency="EUR")).rows
        (trieste,) = [r for r in rows if r.service.id == "trieste-network"]
        # EUR 16.7 million a year for the network: never spread over days, weeks or months.
        assert trieste.unit == "service-year" and trieste.cost == Range.of(16700000)
        # 37% of the old hospital: 16 700 000 / 0.37 = 45 135 135.14 a year.
        assert round(trieste.baseline_cost.low, 2) == Decimal("45135135.14")
        assert trieste.group.kind.name == "WHOLE_SERVICE"
        apart = [r for r in rows if r.group.kind.name in ("WHOLE_SERVICE", "PER_CAPITA")]
        assert all(r.unit == r.figure.unit.value for r in apart)


def test_sorting_never_mixes_units(shipped) -> None:
    data, rates = shipped
    for key in SortKey:
        rows = compare(data, rates, Selection(sort=key)).rows
        groups = [r.group for r in rows]
        assert groups == sorted(groups), key
        for group in set(groups):
            assert {r.unit for r in rows if r.group == group} == {group.unit}
    by_cost = compare(data, rates, Selection(sort=SortKey.COST)).rows
    day = [r for r in by_cost if r.unit == "person-day"]
    assert [r.cost.low for r in day] == sorted(r.cost.low for r in day)
    # The USD 3046 episode is never ranked among costs per day, nor the USD 12 consultation.
    assert by_cost.index(next(r for r in by_cost if r.unit == "episode")) > by_cost.index(day[-1])


def test_shared_lives_percentages_are_not_compared_with_the_carer_payment(shipped) -> None:
    data, rates = shipped
    result = compare(data, rates)
    assert not [r for r in result.rows if r.service.id == "shared-lives-south-east-wales"]
    skipped = {
        s.item: s.message
        for s in result.not_compared
        if s.service.id == "shared-lives-south-east-wales"
    }
    # Lines 7965-7969: "net cost of long-term shared Lives arrangements was 43% cheaper than
    # alternatives for people with learning disabilities, and 28% cheaper for people with mental
    # health needs": net cost, not the £340-588 carer payment.
    assert "net cost" in skipped["alternatives-learning-disabilities"]
    assert "learning disabilities" in skipped["alternatives-learning-disabilities"]
    assert "net cost" in skipped["alternatives-mental-health"]
    assert "alternatives-learning-disabilities" in skipped["carer-payment-per-week"]


def test_caps_iii_carries_its_caveat(shipped) -> None:
    data, rates = shipped
    rows = compare(data, rates).rows
    (caps,) = [r for r in rows if r.service.id == "caps-iii-brasilandia"]
    assert len(caps.caveats) == 1 and "not 30.44 days of care" in caps.caveats[0]
    assert [r.service.id for r in rows if r.caveats] == ["caps-iii-brasilandia"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_the_caveat_is_visible_in_every_format(runner, fmt: str) -> None:
    from cmhcost.cli import app

    args = ["compare", "--format", fmt, "--category", "community-mental-health-centre"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "not 30.44 days of care" in " ".join(result.stdout.split())


def test_category_finds_services_tagged_with_it(shipped) -> None:
    data, rates = shipped
    crisis = compare(data, rates, Selection(categories=frozenset({Category.CRISIS})))
    ids = {r.service.id for r in crisis.rows}
    # "residential crisis services" (002 line 11464) and "the shared Lives mental health crisis
    # scheme" (002 line 7977) are crisis services filed under financing and supported living.
    assert {"maryland-residential-crisis", "shared-lives-mental-health-crisis"} <= ids
    assert {"tupu-ake", "link-house", "afiya-house"} <= ids


# --- Ranges, one rule ---


def test_every_shipped_row_pairs_low_cost_with_high_baseline(shipped) -> None:
    data, rates = shipped
    for row in compare(data, rates, denomination=Denomination(currency="EUR")).rows:
        # Same currency conversions may use two months (Tupu Ake: 2021-02 and 2021-03), so the
        # pairing is checked to within the exchange-rate noise of 2%.
        low, high = row.cost.low / row.baseline_cost.high, row.cost.high / row.baseline_cost.low
        assert abs(row.ratio.low / low - 1) < Decimal("0.02"), row.service.id
        assert abs(row.ratio.high / high - 1) < Decimal("0.02"), row.service.id


RANGE_SERVICE = """version: 1
services:
  - id: banded
    name: Banded payment
    place: Somewhere
    country: GB
    category: supported-living
    figures:
      - {id: weekly, label: Paid per week by band, amount: [100, 200], currency: GBP, unit: person-day}
    baselines:
      - id: half
        label: Twice the cost
        relative: {relation: service-percent-of, value: 50, words: half the cost}
"""


def test_a_range_against_a_ratio_follows_the_rule() -> None:
    from cmhcost.loading.reader import parse_services

    data = parse_services(RANGE_SERVICE)
    (row,) = compare(data, RateTable(()), denomination=Denomination(currency="GBP")).rows
    # The implied baseline is the cost over the ratio: 100 / 0.5 = 200 to 200 / 0.5 = 400.
    assert row.baseline_cost == Range.of(200, 400)
    # The ratio pairs the low cost with the high baseline: 100 / 400 = 0.25, 200 / 200 = 1.
    assert row.ratio == Range.of("0.25", "1")
    assert row.claimed_ratio == Range.of("0.5")


def test_each_conversion_is_a_structured_step(fixture_data, fixture_rates) -> None:
    from datetime import date

    row = rows_by_id(fixture_data, fixture_rates)["caps-iii-brasilandia"]
    period, cost_currency, base_currency = row.conversions
    # R$ 1100 a user-month to a day: x 1 / (365.25 / 12); then BRL to USD at the test rates of
    # February 2021 (0.1875 dollars a real), for the cost and for the R$ 1200-2400 baseline.
    assert (period.side, period.kind, period.source, period.target) == (
        "cost",
        "period",
        "person-month",
        "person-day",
    )
    assert period.factor == 1 / (Decimal("365.25") / 12)
    assert (cost_currency.side, cost_currency.source, cost_currency.target) == (
        "cost",
        "BRL",
        "USD",
    )
    assert cost_currency.factor == Decimal("0.1875")
    assert cost_currency.rate_date == date(2021, 2, 1)
    assert base_currency.side == "baseline" and base_currency.factor == Decimal("0.1875")
    assert row.cost.low == Decimal(1100) * period.factor * cost_currency.factor


def test_a_restatement_must_name_a_claim_of_its_record() -> None:
    from cmhcost.domain.errors import DatasetError
    from cmhcost.loading.reader import parse_services

    text = RANGE_SERVICE + "      - id: again\n        label: Again\n        same_as: nothing\n"
    text += "        relative: {relation: service-percent-of, value: 50, words: half}\n"
    with pytest.raises(DatasetError, match=r"<text>:16: banded: baselines\[1\].same_as: no other"):
        parse_services(text)
    restated = text.replace("same_as: nothing", "same_as: half")
    (row,) = compare(
        parse_services(restated), RateTable(()), denomination=Denomination(currency="GBP")
    ).rows
    assert row.baseline.id == "half"  # one row for the claim, however often it is quoted
