"""A planner's pilot terms: substitution, length of stay, horizon, capital lines, discount rate."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from cmhcost.money import PositiveAmount, Range, to_range

DEFAULT_DISCOUNT_RATE = Decimal("0.03")  # the WHO-CHOICE convention


def default_discount_rate() -> Range:
    """The discount rate when a file names none: 3% a year."""
    return Range.of(DEFAULT_DISCOUNT_RATE)


class CapitalLine(BaseModel):
    """A one-off start-up cost, annualised over its useful life."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    label: str = Field(min_length=1)
    amount: PositiveAmount
    life_years: PositiveAmount = Field(description="Useful life in years.")


def _rate(value: Range) -> Range:
    if value.low < 0 or value.high >= 1:
        raise ValueError(
            "a discount rate is a fraction of at least 0 and below 1: write 0.03 for 3%"
        )
    return value


Rate = Annotated[Range, BeforeValidator(to_range), AfterValidator(_rate)]


def _share(value: Range) -> Range:
    if value.low <= 0 or value.high > 1:
        raise ValueError("a share above 0 and at most 1: write 0.5 for half")
    return value


Share = Annotated[Range, BeforeValidator(to_range), AfterValidator(_share)]


class PilotTerms(BaseModel):
    """What decides whether a planner's pilot saves money, beyond its budget."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    substitution: Share | None = Field(
        default=None,
        description="Share (0-1) of the pilot's units that replace a unit of the baseline "
        "(default 1, an assumption stated in the report).",
    )
    length_of_stay: PositiveAmount | None = Field(
        default=None,
        description="Days in one admission or episode: per-admission or per-episode costs "
        "convert to per day with it.",
    )
    horizon_years: PositiveAmount | None = Field(
        default=None, description="Years of a discounted multi-year view of cost and saving."
    )
    replaces: str | None = Field(
        default=None,
        min_length=1,
        description="Id of the guidance record this pilot stands in for (needed when the ids match).",
    )

    @field_validator("horizon_years")
    @classmethod
    def _whole_years(cls, value: Range | None) -> Range | None:
        if value is not None and any(v != v.to_integral_value() for v in (value.low, value.high)):
            raise ValueError("a horizon is a whole number of years")
        return value
