from datetime import date, timedelta
from decimal import Decimal

import pytest

from cmhcost.conversion.exchange import RateTable, month_end
from cmhcost.domain.errors import CmhcostError, RateNotFoundError
from cmhcost.domain.money import Range
from tests.conftest import rate_set


def test_cross_rate_goes_through_the_euro(fake_rates: RateTable) -> None:
    # 1.6 NZD = 1 EUR = 1.2 USD, so 1 NZD = 0.75 USD.
    result = fake_rates.convert(Range.of(100), "NZD", "USD", date(2021, 2, 10))
    assert result.amount == Range.of(75)
    assert result.rate == Decimal("0.75")
    assert result.rate_date == date(2021, 2, 1)
    assert result.source == "test rates 2021-02-01"


def test_ranges_convert_as_ranges(fake_rates: RateTable) -> None:
    result = fake_rates.convert(Range.of(80, 160), "GBP", "EUR", date(2021, 2, 1))
    assert result.amount == Range.of(100, 200)


def test_a_usd_based_rate_bridges_through_the_usd_euro_rate(fake_rates: RateTable) -> None:
    # 3.3 GEL per USD and 1.2 USD per EUR: 33 GEL is 10 USD and 33 / 3.96 EUR.
    assert fake_rates.convert(Range.of(33), "GEL", "USD", date(2021, 2, 1)).amount == Range.of(10)
    to_euro = fake_rates.convert(Range.of(33), "GEL", "EUR", date(2021, 2, 1))
    assert to_euro.amount.low == Decimal(33) / (Decimal("3.3") * Decimal("1.2"))
    assert len(to_euro.quotes) == 2


def test_the_nearest_earlier_rate_is_used(fake_rates: RateTable) -> None:
    assert fake_rates.quote("USD", date(2021, 2, 28)).rate == Decimal("1.2")
    assert fake_rates.quote("USD", date(2021, 3, 1)).rate == Decimal("1.25")


def test_a_missing_rate_names_currency_date_and_what_exists(fake_rates: RateTable) -> None:
    with pytest.raises(
        RateNotFoundError,
        match=r"no USD rate .* 2020-12-31: the first USD rate stored is for 2021-02-01",
    ):
        fake_rates.quote("USD", date(2020, 12, 31))
    with pytest.raises(RateNotFoundError, match="no rate for KES is stored") as caught:
        fake_rates.quote("KES", date(2021, 2, 1))
    assert str(caught.value).endswith(
        'add one with: cmhcost rates add RATE KES --per USD --date 2021-02-01 --source "..."'
    )
    # GEL is stored for 2021-02-01 only: 2021-04-01 is 59 days later, past the 45-day look-back
    with pytest.raises(RateNotFoundError, match="the nearest earlier GEL rate is for 2021-02-01"):
        fake_rates.quote("GEL", date(2021, 4, 1))


def test_a_later_layer_wins_on_the_same_date_and_is_named() -> None:
    table = RateTable.layered(
        [
            ("shipped", [rate_set("2021-02-01", USD="1.2"), rate_set("2021-03-01", USD="1.25")]),
            ("user", [rate_set("2021-02-01", USD="1.3")]),
        ]
    )
    assert (
        table.quote("USD", date(2021, 2, 10)).rate,
        table.quote("USD", date(2021, 2, 10)).layer,
    ) == (Decimal("1.3"), "user")
    assert table.quote("USD", date(2021, 3, 5)).layer == "shipped"


def test_a_currency_that_converts_through_itself_is_an_error_not_a_recursion() -> None:
    table = RateTable(
        [
            rate_set("2021-02-01", base="USD", GEL="3.3"),
            rate_set("2021-02-01", base="GEL", USD="0.3"),
        ]
    )
    with pytest.raises(CmhcostError, match=r"convert GEL through itself \(GEL -> USD -> GEL\)"):
        table.convert(Range.of("10"), "GEL", "EUR", date(2021, 2, 1))


def test_the_look_back_is_bounded() -> None:
    table = RateTable([rate_set("2021-02-01", USD="1.2")], look_back=timedelta(days=10))
    assert table.quote("USD", date(2021, 2, 11)).rate == Decimal("1.2")
    with pytest.raises(RateNotFoundError):
        table.quote("USD", date(2021, 2, 12))


def test_same_currency_needs_no_rate(fake_rates: RateTable) -> None:
    result = fake_rates.convert(Range.of(5), "KES", "KES", date(1990, 1, 1))
    assert result.amount == Range.of(5) and result.quotes == ()


def test_a_month_converts_at_its_last_day() -> None:
    assert month_end("2021-02") == date(2021, 2, 28)
    assert month_end("2020-02") == date(2020, 2, 29)


def test_a_rate_per_dollar_converts_dollars_as_entered_when_carried_forward() -> None:
    # 157.50 KES per USD stored on 2024-01-02 and used on 2024-02-01 (30 days on): 157.50 KES is
    # exactly 1 USD, with no detour through the euro at two dates.
    from cmhcost.conversion.exchange import RateTable

    table = RateTable.layered(
        [
            ("shipped", [rate_set("2024-01-02", USD="1.1", GBP="0.86")]),
            ("shipped", [rate_set("2024-02-01", USD="1.08", GBP="0.85")]),
            ("user", [rate_set("2024-01-02", base="USD", KES="157.50")]),
        ]
    )
    on = date(2024, 2, 1)
    assert table.convert(Range.of("157.50"), "KES", "USD", on).amount == Range.of(1)
    assert table.convert(Range.of(2), "USD", "KES", on).amount == Range.of("315.00")
    # To a third currency the chains meet at the euro: 157.50 KES = 1 USD = 1/1.1 EUR on the
    # KES rate's day, then 0.85 GBP per EUR on the day asked: 0.85 / 1.1 = 0.772727...
    gbp = table.convert(Range.of("157.50"), "KES", "GBP", on).amount.low
    assert abs(gbp - Decimal("0.85") / Decimal("1.1")) < Decimal("1e-20")


def test_a_users_euro_rate_is_used() -> None:
    from cmhcost.conversion.exchange import RateTable

    table = RateTable.layered(
        [
            ("shipped", [rate_set("2024-01-02", USD="1.1")]),
            ("user", [rate_set("2024-01-02", base="USD", EUR="0.5")]),
        ]
    )
    on = date(2024, 1, 10)
    # 0.5 EUR per USD: 100 EUR = 100 / 0.5 = 200 USD; 100 USD = 50 EUR.
    assert table.convert(Range.of(100), "EUR", "USD", on).amount == Range.of(200)
    assert table.convert(Range.of(100), "USD", "EUR", on).amount == Range.of(50)
    assert table.convert(Range.of(100), "USD", "EUR", on).source == "test rates 2024-01-02"


def test_a_years_mean_counts_the_rates_stored() -> None:
    from cmhcost.conversion.exchange import RateTable
    from cmhcost.conversion.prices import annual_rate

    monthly = [rate_set(f"2024-{m:02d}-01", USD="1.1") for m in range(1, 13)]
    kes = [rate_set(f"2024-{m:02d}-02", base="USD", KES="150") for m in (1, 4, 7, 10)]
    table = RateTable.layered([("shipped", monthly), ("user", kes)])
    rate, words = annual_rate(table, "USD", "KES", 2024)
    assert rate == Decimal(150) and words.startswith("mean of 4 stored rates in 2024")
