"""A price basis asked for on the command line: the tables, a user's index, and the converter.

The commands `convert`, `compare` and `pilot` hand their options here; bad usage is a UsageError
(exit 2) naming the option.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.prices import (
    Adjustment,
    PriceConverter,
    Tables,
    Target,
    adjust,
    home_country,
)
from cmhcost.domain.choices import INTERNATIONAL_DOLLAR, Options, PriceBasis, PriceBasisRequest
from cmhcost.domain.errors import UsageError
from cmhcost.domain.money import Range
from cmhcost.loading.price_tables import shipped_tables


def price_tables(index: Path | None, country: str | None) -> Tables:
    """The shipped CPI and PPP tables, with a user's index for its country (default `country`)."""
    tables = shipped_tables()
    if index is None:
        return tables
    from cmhcost.loading.user_index import load_index

    own = load_index(index)
    whose = own.country or country
    if whose is None:
        raise UsageError(f"--index: name the index's country in {index} (country: GB)")
    return replace(tables, own_index={whose: own.for_country(whose)})


class PricedComparison(NamedTuple):
    """A comparison's options on a price basis, and the converter that takes amounts there."""

    options: Options
    converter: PriceConverter


def comparison_basis(
    options: Options, request: PriceBasisRequest, rates: RateTable, index: Path | None = None
) -> PricedComparison:
    """The options and converter that take every amount of a comparison to one year and basis."""
    tables = price_tables(index, None)
    year = request.target_year or tables.target_years()[1]
    tables.check_target_year(year)
    target = Target(request.basis, year, options.currency, country_code(request.to_country))
    chosen = replace(options, basis=request.basis, price_year=year)
    return PricedComparison(chosen, PriceConverter(tables, target, rates))


@dataclass(frozen=True, kw_only=True)
class AmountToPrice:
    """One amount to take to a price basis: its value, currency, country and price year."""

    value: Range
    currency: str
    country: str | None  # default: the currency's issuer
    price_year: int


def convert_on_basis(
    amount: AmountToPrice,
    to: str,
    request: PriceBasisRequest,
    rates: RateTable | None,
    index: Path | None = None,
) -> Adjustment:
    """One amount to a price year: inflate in its country, then PPP (or the market rate)."""
    international = to.upper() == INTERNATIONAL_DOLLAR
    target, to_country = ("USD", "US") if international else (to, None)
    if to_country and request.basis is not PriceBasis.PPP:
        raise UsageError("--to I$ (international dollars) needs --basis ppp")
    to_country = country_code(request.to_country) or to_country
    source = country_code(amount.country) or home_country(amount.currency, "source country")
    tables = price_tables(index, source)
    year = request.target_year or tables.target_years()[1]
    tables.check_target_year(year)
    goal = Target(request.basis, year, target, to_country)
    return adjust(amount.value, amount.currency, source, amount.price_year, goal, tables, rates)


def country_code(code: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code given on the command line, upper-cased and checked."""
    from cmhcost.domain.codes import check_country

    if code is None:
        return None
    try:
        return check_country(code.upper())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
