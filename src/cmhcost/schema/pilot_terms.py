"""A planner's pilot terms: substitution, length of stay, horizon, capital lines, discount rate."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from cmhcost.domain.limits import MAX_HORIZON_YEARS
from cmhcost.domain.money import Range
from cmhcost.schema.fields import Amount, PositiveAmount

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


Rate = Annotated[Amount, AfterValidator(_rate)]


def _share(value: Range) -> Range:
    if value.low <= 0 or value.high > 1:
        raise ValueError("a share above 0 and at most 1: write 0.5 for half")
    return value


Share = Annotated[Amount, AfterValidator(_share)]


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
        default=None,
        description="Years of a discounted multi-year view of cost and saving "
        f"(a whole number, at most {MAX_HORIZON_YEARS}).",
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
        if value is not None and value.high > MAX_HORIZON_YEARS:
            raise ValueError(f"a horizon is at most {MAX_HORIZON_YEARS} years, not {value.high}")
        return value


def _eac(amount: Decimal, life: Decimal, rate: Decimal) -> Decimal:
    if rate == 0:
        return amount / life
    return amount * rate / (1 - (1 + rate) ** -life)


def equivalent_annual_cost(amount: Range, life: Range, rate: Range) -> Range:
    """EAC = C x r / (1 - (1 + r)^-n): a one-off cost C spread over n years at rate r.

    The EAC grows with the cost and the rate and shrinks with the life, so the low end takes the
    low cost, the long life and the low rate.
    """
    return Range(
        low=_eac(amount.low, life.high, rate.low), high=_eac(amount.high, life.low, rate.high)
    )


def discount_factor(year: int, rate: Range) -> Range:
    """1 / (1 + r)^t for a flow at the end of year t: low at the high rate."""
    return Range(low=(1 + rate.high) ** -year, high=(1 + rate.low) ** -year)


def annuity_factor(years: Range, rate: Range) -> Range:
    """The sum of the discount factors of years 1 to n: what a steady annual flow is worth now."""
    low = sum(((1 + rate.high) ** -t for t in range(1, int(years.low) + 1)), Decimal(0))
    high = sum(((1 + rate.low) ** -t for t in range(1, int(years.high) + 1)), Decimal(0))
    return Range(low=low, high=high)
