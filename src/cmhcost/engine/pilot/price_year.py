"""One price year inside a pilot: every amount at the pilot's price year before it is compared.

An amount is first taken to the pilot's price year in its own country and currency (its price
index; a year past the index projected at the last published rate, and marked), then, in another
currency, converted at the market rate: the mean of the rates stored in the pilot's price year,
or the rate on `rates_date` when one is given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.prices import Adjustment, Tables, Target, adjust, annual_rate, step_note
from cmhcost.conversion.units import Notes
from cmhcost.domain.choices import PriceBasis
from cmhcost.domain.errors import PriceDataError
from cmhcost.domain.money import Range
from cmhcost.schema.services import Figure, Service


def overall_factor(step: Adjustment | None) -> Decimal:
    """What an adjustment multiplies an amount by: index factor x PPP factor or exchange rate."""
    if step is None:
        return Decimal(1)
    return step.inflation_factor * (step.ppp_factor or step.rate or Decimal(1))


@dataclass(frozen=True)
class PriceYear:
    """A converter (see `engine.compare.Converter`) to `currency` at the pilot's `year`."""

    tables: Tables
    year: int
    currency: str
    rates: RateTable
    rates_date: date | None = None

    def __call__(
        self, amount: Range, figure: Figure, service: Service, notes: Notes
    ) -> tuple[Range, Adjustment]:
        if figure.price_year is None:
            raise PriceDataError(f"{figure.id} has no price year to bring to {self.year}")
        country = figure.country or service.country
        own = Target(PriceBasis.MARKET, self.year, figure.currency)
        step = adjust(
            amount, figure.currency, country, figure.price_year, own, self.tables, self.rates
        )
        if figure.currency != self.currency:
            rate, source = self.rate(figure.currency)
            step = replace(
                step,
                amount=step.amount.scale(rate),
                target=Target(PriceBasis.MARKET, self.year, self.currency),
                rate=rate,
                rate_source=source,
            )
        if step.inflation_factor != 1 or step.rate not in (None, 1):
            notes.add(step_note(step))
        return step.amount, step

    def rate(self, source: str) -> tuple[Decimal, str]:
        """Units of `currency` per unit of `source`: on `rates_date`, else the year's mean."""
        if self.rates_date is None:
            return annual_rate(self.rates, source, self.currency, self.year)
        found = self.rates.convert(Range.of(1), source, self.currency, self.rates_date)
        quotes = "; ".join(sorted({f"{q.date} {q.source}" for q in found.quotes}))
        return found.rate, f"rate on {self.rates_date} ({quotes})"
