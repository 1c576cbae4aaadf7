"""A price basis asked for on the command line: the tables, a user's index, and the converter.

The commands `convert`, `compare` and `pilot` hand their options here; bad usage is a UsageError
(exit 2) naming the option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.foreign import BackToLocal, local_currency
from cmhcost.conversion.prices import (
    CURRENCY_COUNTRY,
    EURO_AREA,
    Adjustment,
    PriceConverter,
    Tables,
    Target,
    adjust,
    annual_rate,
    home_country,
)
from cmhcost.domain.choices import (
    INTERNATIONAL_DOLLAR,
    Denomination,
    ForeignRoute,
    OnPriceBasis,
    PriceBasis,
    PriceBasisRequest,
)
from cmhcost.domain.errors import UsageError
from cmhcost.domain.money import Range
from cmhcost.loading.price_tables import shipped_tables


def price_tables(index: Sequence[Path] | None, country: str | None) -> Tables:
    """The shipped CPI and PPP tables, with each user index for its countries (a one-country
    file that names none: `country`); a later file wins for a country two files cover."""
    tables = shipped_tables()
    if not index:
        return tables
    from cmhcost.loading.user_index import load_index

    own = {}
    for path in index:
        found = load_index(path).indices(country)
        if not found:
            raise UsageError(f"--index: name the index's country in {path} (country: GB)")
        own.update(found)
    return replace(tables, own_index=own)


@dataclass(frozen=True)
class PricedComparison:
    """A comparison's money on a price basis, and the converter that takes amounts there."""

    denomination: Denomination
    converter: PriceConverter


def comparison_basis(
    asked: Denomination,
    request: PriceBasisRequest,
    rates: RateTable,
    index: Sequence[Path] | None = None,
) -> PricedComparison:
    """The money and converter that take every amount of a comparison to one year and basis:
    the currency and period asked, on the price basis `request` resolves to."""
    tables = price_tables(index, None)
    year = request.target_year or tables.target_years()[1]
    tables.check_target_year(year)
    policy = OnPriceBasis(
        basis=request.basis,
        price_year=year,
        to_country=country_code(request.to_country),
        foreign=request.foreign,
    )
    chosen = replace(asked, policy=policy)
    target = Target(policy.basis, policy.price_year, chosen.currency, policy.to_country)
    return PricedComparison(chosen, PriceConverter(tables, target, rates, policy.foreign))


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
    index: Sequence[Path] | None = None,
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
    back = None
    if request.foreign is ForeignRoute.LOCAL and rates is not None:
        back = home_amount(amount.value, amount.currency, source, amount.price_year, rates)
    if back is None:
        return adjust(amount.value, amount.currency, source, amount.price_year, goal, tables, rates)
    adjusted = adjust(back.amount, back.local, source, amount.price_year, goal, tables, rates)
    return replace(adjusted, back=back)


def country_code(code: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code given on the command line, upper-cased and checked."""
    from cmhcost.domain.codes import check_country

    if code is None:
        return None
    try:
        return check_country(code.upper())
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def home_amount(
    amount: Range, currency: str, country: str, price_year: int, rates: RateTable
) -> BackToLocal | None:
    """An amount in another country's currency, in `country`'s own at the mean rate of its price
    year; None when the currency is the country's own or the country's is not known."""
    local = local_currency(country, CURRENCY_COUNTRY, EURO_AREA)
    if local is None or local == currency:
        return None
    rate, source = annual_rate(rates, currency, local, price_year)
    why = f"the mean rate of {price_year}, the amount's price year"
    return BackToLocal(amount.scale(rate), currency, local, rate, None, source, why)
