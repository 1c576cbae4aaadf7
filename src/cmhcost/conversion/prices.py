"""Price indices and PPP: the two-step adjustment of an amount to a price year and a basis.

Step 1 inflates (or deflates) an amount in its own currency with the price index of its country,
from its price year P to the target year T: the product over y = P+1 .. T of (1 + pct[y] / 100),
its inverse when T < P. Step 2 converts at the purchasing power parities of year T (local currency
units per international dollar, United States = 1), or at the market exchange rate of year T.
A year after the last one an index publishes for a country takes that country's last published
annual rate, and the adjustment says so (`Adjustment.projection`), unless a user's index covers it.
Pure functions over tables of exact decimals; `loading.price_tables` reads the shipped ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.foreign import BackToLocal, back_or_note, local_currency
from cmhcost.domain.choices import ForeignRoute, PriceBasis
from cmhcost.domain.errors import CmhcostError, named
from cmhcost.domain.errors import PriceDataError as PriceDataError
from cmhcost.domain.errors import PriceUsageError as PriceUsageError
from cmhcost.domain.money import Range

if TYPE_CHECKING:
    from cmhcost.conversion.units import Notes
    from cmhcost.schema.services import Figure, Service

HUNDRED = Decimal(100)

# Where the PPP of a currency is read when a figure or a target names the currency alone. A shared
# currency (the euro) has no single country: its figures use their own country's index and PPP.
CURRENCY_COUNTRY = {
    "AUD": "AU", "BRL": "BR", "CAD": "CA", "CHF": "CH", "CNY": "CN", "DKK": "DK", "GBP": "GB",
    "GEL": "GE", "GHS": "GH", "HKD": "HK", "IDR": "ID", "ILS": "IL", "INR": "IN", "JPY": "JP",
    "KES": "KE", "MMK": "MM", "MXN": "MX", "NGN": "NG", "NOK": "NO", "NZD": "NZ", "PEN": "PE",
    "PKR": "PK", "PLN": "PL", "SEK": "SE", "UGX": "UG", "USD": "US", "ZAR": "ZA",
}  # fmt: skip
EURO_AREA = frozenset(
    "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK".split()
)  # the members in 2024; a figure's own country decides its index and PPP


class TargetYearError(PriceUsageError):
    """The target price year is outside the years the tables cover."""


class IndicatorKind(str, Enum):
    """What an indicator's values are."""

    PCT = "pct"  # annual % changes (the World Bank's CPI inflation)
    INDEX = "index"  # levels of a price index (a user's own)


@dataclass(frozen=True)
class Indicator:
    """One indicator by country and year, values kept as the exact strings of the source."""

    indicator: str
    source: str
    vintage: str
    values: Mapping[str, Mapping[int, str]]
    kind: IndicatorKind = IndicatorKind.PCT

    @property
    def described(self) -> str:
        """Source, indicator code and vintage, for output."""
        return f"{self.source}, {self.indicator} ({self.vintage})"

    def years(self, country: str) -> list[int]:
        """The years with a value for `country`, oldest first."""
        return sorted(self.values.get(country, {}))

    def value(self, country: str, year: int) -> Decimal:
        """The value for `country` in `year`; an error naming the nearest year when there is none."""
        text = self.values.get(country, {}).get(year)
        if text is None:
            raise PriceDataError(self._missing(country, year))
        return Decimal(text)

    def _missing(self, country: str, year: int) -> str:
        years = self.years(country)
        if not years:
            return f"{self.indicator}: no value for {country} in any year ({self.described})"
        nearest = min(years, key=lambda y: (abs(y - year), -y))
        return (
            f"{self.indicator}: no value for {country} in {year} ({self.described}); "
            f"nearest year with a value: {nearest} ({country} has {years[0]}-{years[-1]})"
        )


def parse_indicator(text: str, file: str = "<text>") -> Indicator:
    """Read a shipped table: `# key: value` header lines, a column line, then country,year,value."""
    meta: dict[str, str] = {}
    values: dict[str, dict[int, str]] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if not line.startswith("#"):
            break  # the column line
        key, _, value = line[1:].partition(":")
        meta[key.strip()] = value.strip()
    for line in lines:
        country, year, value = line.split(",")
        values.setdefault(country, {})[int(year)] = value
    if not values or "indicator" not in meta:
        raise PriceDataError(f"{file}: not a price table (no indicator or no values)")
    return Indicator(meta["indicator"], meta.get("source", file), meta.get("vintage", "?"), values)


@dataclass(frozen=True)
class Tables:
    """The price index of each country (CPI unless a user index replaces it) and the PPP factors."""

    cpi: Indicator
    ppp: Indicator
    own_index: Mapping[str, Indicator] | None = None  # user indices by country

    def index_for(self, country: str) -> Indicator:
        """The index that adjusts amounts of `country` between years."""
        return (self.own_index or {}).get(country, self.cpi)

    def target_years(self) -> tuple[int, int]:
        """The years a target price year may take: those both tables cover."""
        cpi = [y for c in self.cpi.values.values() for y in c]
        ppp = [y for c in self.ppp.values.values() for y in c]
        return max(min(cpi), min(ppp)), min(max(cpi), max(ppp))

    def check_target_year(self, year: int) -> None:
        """Refuse a target year outside the tables, saying which years are available."""
        first, last = self.target_years()
        if not first <= year <= last:
            raise TargetYearError(
                f"no price data for {year}: target years {first}-{last} are available "
                f"({self.cpi.indicator} to {max(y for c in self.cpi.values.values() for y in c)}, "
                f"{self.ppp.indicator} to {max(y for c in self.ppp.values.values() for y in c)})"
            )


@dataclass(frozen=True)
class Projection:
    """Years past an index's last published one, each taken at that year's annual rate."""

    years: tuple[int, ...]  # the projected years, oldest first
    from_year: int  # the last year the index publishes for the country
    pct: Decimal  # its annual rate, % a year

    @property
    def described(self) -> str:
        """The mark shown beside the factor."""
        years = f"{self.years[0]}" if len(self.years) == 1 else f"{self.years[0]}-{self.years[-1]}"
        return f"{years} projected at the {self.from_year} rate ({self.pct:.2f}% a year)"


def _annual(index: Indicator, country: str, year: int) -> Decimal:
    """One year's growth factor: 1 + pct / 100, or level[y] / level[y - 1]."""
    if index.kind is IndicatorKind.INDEX:
        return index.value(country, year) / index.value(country, year - 1)
    return 1 + index.value(country, year) / HUNDRED


def projection(
    index: Indicator, country: str, price_year: int, target_year: int
) -> Projection | None:
    """The years between P and T (inclusive of the later) past the last the index publishes."""
    published = index.years(country)
    if not published:
        return None
    last = published[-1]
    years = tuple(
        y
        for y in range(min(price_year, target_year) + 1, max(price_year, target_year) + 1)
        if y > last
    )
    if not years:
        return None
    return Projection(years, last, (_annual(index, country, last) - 1) * HUNDRED)


def inflation_factor(index: Indicator, country: str, price_year: int, target_year: int) -> Decimal:
    """Product over y = P+1 .. T of (1 + pct[y] / 100); its inverse when T < P.

    For an index of levels: index[T] / index[P]. A year past the last published one grows at the
    last published year's rate (see `projection`).
    """
    published = index.years(country)
    last = published[-1] if published else None
    first, latest = sorted((price_year, target_year))
    if index.kind is IndicatorKind.INDEX and (last is None or latest <= last):
        return index.value(country, target_year) / index.value(country, price_year)
    factor = Decimal(1)
    for year in range(first + 1, latest + 1):
        factor *= _annual(index, country, last if last is not None and year > last else year)
    return factor if target_year >= price_year else 1 / factor


def price_country(currency: str, country: str) -> str:
    """The country whose index and PPP apply to an amount in `currency` from `country`.

    The figure's own country, when the currency is its own; an amount in another country's
    currency (US dollars reported for a service in India) is taken at the prices of the country
    that issues the currency, since the text gives no local amount.
    """
    if currency == "EUR":
        if country in EURO_AREA:
            return country
        raise PriceDataError(
            f"a EUR amount from {country}, outside the euro area: name the figure's country"
        )
    home = CURRENCY_COUNTRY.get(currency)
    return home if home is not None and home != country else country


def target_country(currency: str, country: str | None) -> str:
    """The country whose PPP converts into `currency`: the one named, else the currency's issuer."""
    if country is not None:
        return country
    return home_country(currency, "target country")


def home_country(currency: str, which: str = "source country") -> str:
    """The country that issues `currency`; an error asking for the country when it is not known."""
    if currency == "EUR":
        raise PriceUsageError(f"EUR is shared by several countries: name the {named(which)}")
    home = CURRENCY_COUNTRY.get(currency)
    if home is None:
        raise PriceUsageError(f"which country's prices are in {currency}? name the {named(which)}")
    return home


@dataclass(frozen=True)
class Target:
    """Where amounts are taken: a basis, a price year, a currency and (for PPP) a country."""

    basis: PriceBasis
    year: int
    currency: str
    country: str | None = None  # the PPP country of `currency`; default its issuer


@dataclass(frozen=True)
class Adjustment:
    """An amount taken to a target price year and basis, with every factor used."""

    amount: Range
    currency: str
    country: str  # the country whose index (and PPP) applied
    price_year: int
    target: Target
    inflation_factor: Decimal
    index_source: str
    ppp_from: Decimal | None = None  # PPP of the source country in the target year
    ppp_to: Decimal | None = None  # PPP of the target country in the target year
    ppp_source: str | None = None
    rate: Decimal | None = None  # market: units of the target currency per unit, year-T mean
    rate_source: str | None = None
    back: BackToLocal | None = None  # a foreign-currency amount taken back to `currency` first
    projection: Projection | None = None  # years past the index, at its last published rate

    @property
    def ppp_factor(self) -> Decimal | None:
        """PPP[D][T] / PPP[S][T]: target currency units per source currency unit."""
        if self.ppp_from is None or self.ppp_to is None:
            return None
        return self.ppp_to / self.ppp_from

    @property
    def to_country(self) -> str | None:
        """The country whose PPP converted the amount (None on the market basis)."""
        return self.target.country if self.target.basis is PriceBasis.PPP else None


def adjust(
    amount: Range,
    currency: str,
    country: str,
    price_year: int,
    target: Target,
    tables: Tables,
    rates: RateTable | None = None,
) -> Adjustment:
    """Take an amount from its price year and country to the target year and basis.

    PPP needs the target year in both tables; on the market basis a year past the price index is
    projected (and marked), and the year's exchange rate must be stored.
    """
    if target.basis is PriceBasis.PPP:
        tables.check_target_year(target.year)
    source = price_country(currency, country)
    index = tables.index_for(source)
    factor = inflation_factor(index, source, price_year, target.year)
    ahead = projection(index, source, price_year, target.year)
    inflated = Adjustment(
        amount.scale(factor), currency, source, price_year, target, factor, index.described,
        projection=ahead,
    )  # fmt: skip
    if target.basis is PriceBasis.PPP:
        to = target_country(target.currency, target.country)
        ppp_from, ppp_to = tables.ppp.value(source, target.year), tables.ppp.value(to, target.year)
        low, high = inflated.amount.low, inflated.amount.high
        return replace(
            inflated,
            amount=Range(low=low * ppp_to / ppp_from, high=high * ppp_to / ppp_from),
            target=Target(target.basis, target.year, target.currency, to),
            ppp_from=ppp_from,
            ppp_to=ppp_to,
            ppp_source=tables.ppp.described,
        )
    if rates is None:
        raise PriceDataError("the market basis needs exchange rates")
    rate, rate_source = annual_rate(rates, currency, target.currency, target.year)
    return replace(inflated, amount=inflated.amount.scale(rate), rate=rate, rate_source=rate_source)


def annual_rate(rates: RateTable, source: str, target: str, year: int) -> tuple[Decimal, str]:
    """The mean of the rates stored for the dates of `year` (monthly sets): the year's rate."""
    if source == target:
        return Decimal(1), "same currency"
    days = sorted({d for code in (source, target) for d in rates.dates(code) if d.year == year})
    found = []
    for day in days:
        try:
            conversion = rates.convert(Range.of(1), source, target, day)
        except CmhcostError:
            continue
        if any(q.date == day for q in conversion.quotes):  # a rate stored that day, not carried
            found.append(conversion)
    if not found:
        raise PriceDataError(
            f"no exchange rate between {source} and {target} stored in {year}; "
            f"use the {named('PPP basis')}, or add {named('rates for that year')}"
        )
    mean = sum((c.rate for c in found), Decimal(0)) / len(found)
    sources = "; ".join(sorted({c.source for c in found}))
    return mean, f"mean of {len(found)} stored rates in {year} ({sources})"


@dataclass(frozen=True)
class PriceConverter:
    """A comparison's converter: every figure from its price year and country to the target."""

    tables: Tables
    target: Target
    rates: RateTable | None = None
    route: ForeignRoute = ForeignRoute.LOCAL

    def __call__(
        self, amount: Range, figure: Figure, service: Service, notes: Notes
    ) -> tuple[Range, Adjustment]:
        if figure.price_year is None:
            raise PriceDataError(f"{figure.id} has no price year")
        country = figure.country or service.country
        back = self._back_to_local(amount, figure, service, notes)  # noted when taken
        step = adjust(
            back.amount if back else amount,
            back.local if back else figure.currency,
            country,
            figure.price_year,
            self.target,
            self.tables,
            self.rates,
        )
        step = replace(step, back=back)
        notes.add(step_note(step))
        return step.amount, step

    def _back_to_local(
        self, amount: Range, figure: Figure, service: Service, notes: Notes
    ) -> BackToLocal | None:
        """On the local route, a foreign-currency amount in its country's currency."""
        local = local_currency(figure.country or service.country, CURRENCY_COUNTRY, EURO_AREA)
        if self.route is ForeignRoute.ISSUER or local is None or local == figure.currency:
            return None
        return back_or_note(amount, figure, service, local, self.rates, notes.add)

    def at_prices_of(self, figure: Figure, service: Service) -> PriceConverter:
        """The same basis, at the figure's own price year, currency and country."""
        if figure.price_year is None:
            raise PriceDataError(f"{service.id}: {figure.id} has no price year")
        country = price_country(figure.currency, figure.country or service.country)
        own = Target(self.target.basis, figure.price_year, figure.currency, country)
        return replace(self, target=own)


def step_note(step: Adjustment) -> str:
    """One line for a row's notes: the factors that took an amount to the target basis."""
    first = (
        f"{step.currency} of {step.price_year} ({step.country}) to {step.target.year}: "
        f"x {step.inflation_factor:.4f} ({step.index_source.rsplit(', ', 1)[-1]}"
        + (f"; {step.projection.described})" if step.projection else ")")
    )
    if step.ppp_factor is not None:
        return (
            f"{first}, PPP {step.ppp_from} {step.currency} per I$ ({step.country}) and "
            f"{step.ppp_to} {step.target.currency} per I$ ({step.target.country})"
        )
    return f"{first}, market rate {step.rate:.6g} ({step.rate_source})"
