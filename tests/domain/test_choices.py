"""What a report's amounts are expressed in: exchange rates or a price basis, never both."""

from __future__ import annotations

from datetime import date

from cmhcost.domain.choices import (
    AtExchangeRates,
    Denomination,
    OnPriceBasis,
    Per,
    PriceBasis,
)

PPP_2024 = OnPriceBasis(basis=PriceBasis.PPP, price_year=2024)


def test_by_default_each_figure_converts_at_its_own_month_in_dollars_per_day() -> None:
    money = Denomination()
    assert (money.currency, money.per, money.policy) == ("USD", Per.DAY, AtExchangeRates())
    assert money.rates_date is None and money.price_basis is None


def test_a_rates_date_belongs_to_exchange_rates_and_a_price_year_to_a_price_basis() -> None:
    dated = Denomination(currency="EUR", policy=AtExchangeRates(date(2024, 6, 30)))
    assert dated.rates_date == date(2024, 6, 30) and dated.price_basis is None
    priced = Denomination(currency="EUR", policy=PPP_2024)
    assert priced.rates_date is None and priced.price_basis == PPP_2024
