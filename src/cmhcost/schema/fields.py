"""The field types every model shares, each defined once with its rule (`Annotated` types)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, WrapValidator

from cmhcost.domain.codes import check_country, check_currency
from cmhcost.domain.money import Range, read_amount
from cmhcost.domain.rules import check_year


def _above_zero(amount: Range) -> Range:
    if amount.low <= 0:
        raise ValueError("must be above zero")
    return amount


def _day_in_years(day: date) -> date:
    check_year(day.year)
    return day


Amount = Annotated[Range, WrapValidator(read_amount)]
PositiveAmount = Annotated[Amount, AfterValidator(_above_zero)]
Year = Annotated[int, AfterValidator(check_year)]
Day = Annotated[date, AfterValidator(_day_in_years)]
CurrencyCode = Annotated[str, AfterValidator(check_currency)]
CountryCode = Annotated[str, AfterValidator(check_country)]
