"""Pydantic models of the exchange-rates YAML files: dated rate sets and the file around them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, WithJsonSchema

from cmhcost.domain.money import check_rate
from cmhcost.schema.fields import Day
from cmhcost.schema.services import LongText, Strict

CODE = re.compile(r"[A-Z]{3}")
RATES_SCHEMA = {
    "anyOf": [
        {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
        {"type": "string", "description": "code-rate pairs: 'GBP 0.882 USD 1.2084'"},
    ]
}


def check_rates(rates: dict[str, Decimal]) -> dict[str, Decimal]:
    """Each code a three-letter code, each rate one `check_rate` accepts."""
    for code, rate in rates.items():
        # Historical codes (BGN, HRK) stay valid for dated rates: check the shape only.
        if not CODE.fullmatch(code):
            raise ValueError(f"{code!r} is not a three-letter currency code")
        try:
            check_rate(rate)
        except ValueError as exc:
            raise ValueError(f"{code}: {exc}") from None
    return rates


class RateSet(Strict):
    """Exchange rates for one date: units of each currency per one unit of `base`."""

    date: Day
    base: str
    source: LongText = Field(description="The source, or a name from `sources`.")
    method: LongText = Field(
        description="Which day or average the rates are, or a name from `methods`."
    )
    rates: Annotated[dict[str, Decimal], AfterValidator(check_rates), WithJsonSchema(RATES_SCHEMA)]


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
