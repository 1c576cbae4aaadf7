"""A denomination's own behaviour in the engine: its converter and its heading."""

from __future__ import annotations

from datetime import date

import pytest

from cmhcost.conversion.exchange import RateTable
from cmhcost.domain.choices import AtExchangeRates, Denomination, OnPriceBasis, PriceBasis
from cmhcost.engine.converters import ExchangeConverter
from cmhcost.engine.heading import heading_of

PPP_2024 = OnPriceBasis(basis=PriceBasis.PPP, price_year=2024)


def test_amounts_on_a_price_basis_are_never_converted_at_exchange_rates_alone() -> None:
    with pytest.raises(ValueError, match="price converter"):
        ExchangeConverter.of(RateTable(()), Denomination(policy=PPP_2024))
    dated = ExchangeConverter.of(
        RateTable(()), Denomination(policy=AtExchangeRates(date(2024, 1, 31)))
    )
    assert (dated.currency, dated.on) == ("USD", date(2024, 1, 31))


def test_the_heading_names_whose_purchasing_power_parities_converted() -> None:
    us = heading_of(Denomination(policy=PPP_2024))
    assert (us.currency, us.ppp_country, us.money) == ("I$", "US", "2024 I$ (PPP)")
    kenya = OnPriceBasis(basis=PriceBasis.PPP, price_year=2024, to_country="KE")
    ke = heading_of(Denomination(policy=kenya))
    assert (ke.currency, ke.ppp_country, ke.money) == ("USD", "KE", "2024 USD (PPP of KE)")
    market = OnPriceBasis(basis=PriceBasis.MARKET, price_year=2024, to_country="KE")
    assert heading_of(Denomination(policy=market)).ppp_country is None  # PPPs play no part
