"""What every number of a report is, said once: the heading and the stamp every format renders.

The heading names the money (I$ on the PPP basis into US dollars, else the currency), the price
year, the price basis, the period and how amounts were converted; the stamp names what produced
the report (cmhcost's version, the services files and their digests, the rates up to which date,
the CPI and PPP vintages, a user's rate layers and index files by name). Formatters render these;
they never rebuild them from options.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from cmhcost.domain.choices import Denomination, Per, PriceBasis

if TYPE_CHECKING:
    from cmhcost.conversion.prices import Adjustment

INTERNATIONAL_DOLLAR = "I$"
PPP_COUNTRY = "US"  # the PPP tables' base: 1 international dollar = 1 US dollar in the US


@dataclass(frozen=True)
class DataFile:
    """A file a report was made from: its name (no directory) and the start of its SHA-256."""

    name: str
    digest: str = ""
    shipped: bool = False


@dataclass(frozen=True)
class Stamp:
    """What produced a report: version and every data vintage it used."""

    version: str = "unknown"
    services: tuple[DataFile, ...] = ()
    rates_to: date | None = None  # the latest date with a stored rate
    rate_layers: tuple[str, ...] = ()  # the user's rate files by name, lowest first
    cpi: str | None = None  # the price index tables used, with their vintage
    ppp: str | None = None
    index: tuple[str, ...] = ()  # a user's index files by name


def money_label(basis: PriceBasis | None, currency: str, ppp_country: str | None = None) -> str:
    """`I$` for amounts taken at US PPPs into US dollars; otherwise the currency's code."""
    into_us = ppp_country in (None, PPP_COUNTRY)
    if basis is PriceBasis.PPP and currency == "USD" and into_us:
        return INTERNATIONAL_DOLLAR
    return currency


@dataclass(frozen=True)
class ReportHeading:
    """What every amount in a report is, and what produced it."""

    currency: str  # the label: "I$" or an ISO code
    per: Per
    basis: PriceBasis | None
    price_year: int | None
    rates_date: date | None
    ppp_country: str | None = None  # whose PPPs converted the amounts (the PPP basis only)
    command: str = ""
    stamp: Stamp = field(default_factory=Stamp)
    projections: tuple[str, ...] = ()  # amounts taken past an index's last year, by country

    @property
    def per_text(self) -> str:
        """`per day`, or `each service's own unit`."""
        return "each service's own unit" if self.per is Per.NATIVE else f"per {self.per.value}"

    @property
    def money(self) -> str:
        """The money every amount is in: `2024 I$ (PPP)`, `2024 KES (market rates of 2024)`, `USD`."""
        if self.basis is None or self.price_year is None:
            return self.currency
        if self.basis is PriceBasis.PPP:
            whose = "" if self.currency == INTERNATIONAL_DOLLAR else f" of {self.ppp_country}"
            return f"{self.price_year} {self.currency} (PPP{whose})"
        return f"{self.price_year} {self.currency} (market rates of {self.price_year})"

    @property
    def conversion(self) -> str:
        """How amounts in other currencies and years were brought to the report's money."""
        if self.basis is PriceBasis.PPP:
            return (
                f"each amount inflated in its own country to {self.price_year}, then converted at "
                f"the purchasing power parities of {self.price_year}"
            )
        if self.basis is PriceBasis.MARKET:
            return (
                f"each amount inflated in its own country to {self.price_year}, then converted at "
                f"the mean market exchange rate of {self.price_year}"
            )
        if self.rates_date is not None:
            return f"every amount at the exchange rates of {self.rates_date}, in its own price year"
        return (
            "each figure at the month the guidance converted it (February 2021 when it names "
            "none), in its own price year (no inflation adjustment)"
        )

    @property
    def title(self) -> str:
        """One line: `Cost against baseline, 2024 I$ (PPP), per day`."""
        if self.basis is not None:
            return f"Cost against baseline, {self.money}, {self.per_text}"
        when = (
            f"rates of {self.rates_date}" if self.rates_date else "each figure's conversion month"
        )
        return f"Cost against baseline, {self.currency}, {self.per_text} ({when})"


def with_projections(heading: ReportHeading, steps: Iterable[Adjustment | None]) -> ReportHeading:
    """The heading, marking every country whose index was projected past its last year."""
    marks = dict.fromkeys(
        f"{step.country}: {step.projection.described}"
        for step in steps
        if step is not None and step.projection is not None
    )
    return replace(heading, projections=tuple(sorted(marks))) if marks else heading


def heading_of(
    denomination: Denomination, command: str = "", stamp: Stamp | None = None
) -> ReportHeading:
    """The heading of a comparison whose amounts are in `denomination`."""
    priced = denomination.price_basis
    basis = priced.basis if priced else None
    country = None
    if priced is not None and priced.basis is PriceBasis.PPP:
        country = priced.to_country or PPP_COUNTRY
    return ReportHeading(
        currency=money_label(basis, denomination.currency, country),
        per=denomination.per,
        basis=basis,
        price_year=priced.price_year if priced else None,
        rates_date=denomination.rates_date,
        ppp_country=country,
        command=command,
        stamp=stamp or Stamp(),
    )
