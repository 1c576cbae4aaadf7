"""A price basis asked for on the command line: the tables, a user's index, and the converter.

The commands `convert`, `compare` and `pilot` hand their options here; bad usage is a UsageError
(exit 2) naming the option.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.prices import (
    Adjustment,
    PriceConverter,
    Tables,
    Target,
    adjust,
    home_country,
)
from cmhcost.domain.choices import Options, PriceBasis
from cmhcost.domain.errors import UsageError
from cmhcost.domain.money import Range
from cmhcost.loading.price_tables import shipped_tables


@dataclass(frozen=True)
class BasisRequest:
    """What the user asked: a basis, a target year and country, their own index."""

    basis: PriceBasis = PriceBasis.PPP
    target_year: int | None = None  # default: the latest year the tables cover
    to_country: str | None = None
    index: Path | None = None


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


def comparison_basis(
    options: Options, request: BasisRequest, rates: RateTable
) -> tuple[Options, PriceConverter]:
    """The options and converter that take every amount of a comparison to one year and basis."""
    tables = price_tables(request.index, None)
    year = request.target_year or tables.target_years()[1]
    tables.check_target_year(year)
    target = Target(request.basis, year, options.currency, country_code(request.to_country))
    chosen = replace(options, basis=request.basis, price_year=year)
    return chosen, PriceConverter(tables, target, rates)


def convert_on_basis(
    value: Range,
    currency: str,
    to: str,
    country: str | None,
    price_year: int,
    request: BasisRequest,
    rates: RateTable | None,
) -> Adjustment:
    """One amount to a price year: inflate in its country, then PPP (or the market rate)."""
    target, to_country = ("USD", "US") if to.upper() == "I$" else (to, None)
    if to_country and request.basis is not PriceBasis.PPP:
        raise UsageError("--to I$ (international dollars) needs --basis ppp")
    to_country = country_code(request.to_country) or to_country
    source = country_code(country) or home_country(currency, "source country")
    tables = price_tables(request.index, source)
    year = request.target_year or tables.target_years()[1]
    tables.check_target_year(year)
    goal = Target(request.basis, year, target, to_country)
    return adjust(value, currency, source, price_year, goal, tables, rates)


def country_code(code: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code given on the command line, upper-cased and checked."""
    from cmhcost.domain.codes import check_country

    if code is None:
        return None
    try:
        return check_country(code.upper())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
