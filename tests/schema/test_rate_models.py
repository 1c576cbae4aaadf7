"""The rate-set model refuses what no rates file may hold, whoever builds it (rates update, tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cmhcost.schema.rates import RateSet


def _rate_set(**rates: str) -> RateSet:
    return RateSet(
        date=date(2021, 2, 1),
        base="EUR",
        source="test",
        method="test",
        rates={code: Decimal(value) for code, value in rates.items()},
    )


def test_a_valid_set_keeps_its_rates_exactly() -> None:
    assert _rate_set(USD="1.2084").rates == {"USD": Decimal("1.2084")}


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ({"usd": "1.2"}, "'usd' is not a three-letter currency code"),
        ({"USD": "0"}, "USD: a rate must be a finite number above zero"),
        ({"USD": "-1.2"}, "USD: a rate must be a finite number above zero"),
        ({"USD": "1e-400"}, "USD: 1E-400 is beyond what cmhcost computes exactly"),
        ({"USD": "1.23456789012345678"}, "at most 14 significant digits"),
    ],
)
def test_a_rate_that_cannot_be_held_is_refused(rates: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _rate_set(**rates)


def test_a_date_outside_the_years_is_refused() -> None:
    with pytest.raises(ValidationError, match="1950"):
        RateSet(date=date(1900, 1, 1), base="EUR", source="s", method="m", rates={})
