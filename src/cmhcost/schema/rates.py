"""Pydantic models of the exchange-rates YAML files: dated rate sets and the file around them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema, field_validator

from cmhcost.domain.money import check_number
from cmhcost.schema.services import LongText, Strict, check_year

RATES_SCHEMA = {
    "anyOf": [
        {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
        {"type": "string", "description": "code-rate pairs: 'GBP 0.882 USD 1.2084'"},
    ]
}


class RateSet(Strict):
    """Exchange rates for one date: units of each currency per one unit of `base`."""

    date: date
    base: str
    source: LongText = Field(description="The source, or a name from `sources`.")
    method: LongText = Field(
        description="Which day or average the rates are, or a name from `methods`."
    )
    rates: Annotated[dict[str, Decimal], WithJsonSchema(RATES_SCHEMA)]

    @field_validator("date")
    @classmethod
    def _date_in_years(cls, day: Any) -> Any:
        check_year(day.year)
        return day

    @field_validator("rates")
    @classmethod
    def _valid_rates(cls, rates: dict[str, Decimal]) -> dict[str, Decimal]:
        for code, rate in rates.items():
            # Historical codes (BGN, HRK) stay valid for dated rates: check the shape only.
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ValueError(f"{code!r} is not a three-letter currency code")
            if not rate.is_finite() or rate <= 0:
                raise ValueError(f"{code}: a rate must be a finite number above zero")
            try:
                check_number(rate)
            except ValueError as exc:
                raise ValueError(f"{code}: {exc}") from None
        return rates


class RatesFile(Strict):
    """The top level of an exchange-rates YAML file."""

    version: Literal[1] = 1
    sources: dict[str, str] = Field(
        default_factory=dict, description="Short names for sources the sets share."
    )
    methods: dict[str, str] = Field(
        default_factory=dict, description="Short names for methods the sets share."
    )
    sets: tuple[RateSet, ...]
