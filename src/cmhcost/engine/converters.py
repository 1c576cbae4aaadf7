"""How a figure's amount reaches a comparison's currency: the converter shape, and exchange rates.

A converter takes an amount into the comparison's currency (and, for a `PriceConverter`, to its
price basis), noting each step. `ExchangeConverter` converts at the rates of one date asked for, or
of the month the text converted each figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from cmhcost.conversion.exchange import Conversion, RateTable, month_end
from cmhcost.conversion.foreign import GUIDANCE_MONTH
from cmhcost.conversion.units import ConversionStep, Notes, StepKind
from cmhcost.domain.choices import Denomination
from cmhcost.domain.money import Range
from cmhcost.domain.number_text import rate
from cmhcost.schema.services import Figure, Service

if TYPE_CHECKING:
    from cmhcost.conversion.prices import Adjustment

DEFAULT_MONTH = GUIDANCE_MONTH  # the guidance's own conversion month, for figures that name none

Step = tuple[Range, "Adjustment | None"]


class Converter(Protocol):
    """Takes a figure's amount into the comparison's currency (and price basis), noting how."""

    def __call__(self, amount: Range, figure: Figure, service: Service, notes: Notes) -> Step: ...


@dataclass(frozen=True)
class ExchangeConverter:
    """Exchange rates at each figure's conversion month, or at the one date asked for."""

    rates: RateTable
    currency: str  # the ISO 4217 code every amount is converted into
    on: date | None = None  # the date asked for; None: each figure's conversion month

    @classmethod
    def of(cls, rates: RateTable, denomination: Denomination) -> ExchangeConverter:
        """The converter of amounts denominated at exchange rates; a price basis has its own."""
        if denomination.price_basis is not None:
            raise ValueError("amounts on a price basis need a price converter")
        return cls(rates, denomination.currency, denomination.rates_date)

    def __call__(self, amount: Range, figure: Figure, service: Service, notes: Notes) -> Step:
        if figure.currency == self.currency:
            return amount, None
        on, why = conversion_date(figure, service, self.on)
        converted: Conversion = self.rates.convert(amount, figure.currency, self.currency, on)
        sources = "; ".join(sorted({q.source.split(" (")[0] for q in converted.quotes}))
        notes.add(
            f"{figure.currency} to {self.currency} at {rate(converted.rate)} "
            f"({converted.rate_date}, {why}; {sources})"
        )
        notes.conversions.append(
            ConversionStep(
                side=notes.side,
                kind=StepKind.CURRENCY,
                source=figure.currency,
                target=self.currency,
                factor=converted.rate,
                rate_date=converted.rate_date,
                rate_source=sources,
                why=why,
            )
        )
        return converted.amount, None


def conversion_date(
    figure: Figure, service: Service | None = None, asked: date | None = None
) -> tuple[date, str]:
    """The date a figure converts at, and why.

    The rates date the user asked for; else the month the text converted the figure at; else the month the
    text converted another figure of the record in the same currency; else the default month.
    """
    if asked is not None:
        return asked, "the rates date asked for"
    if figure.usd is not None:
        return month_end(figure.usd.as_of), f"the text's conversion month {figure.usd.as_of}"
    sibling = _sibling_month(figure, service) if service else None
    if sibling is not None:
        return month_end(
            sibling
        ), f"the text's conversion month {sibling} for this record's {figure.currency}"
    return month_end(DEFAULT_MONTH), f"the guidance's conversion month {DEFAULT_MONTH}"


def _sibling_month(figure: Figure, service: Service) -> str | None:
    costs = (b.cost for b in service.baselines if b.cost is not None)
    for other in (*service.figures, *costs):
        if other.currency == figure.currency and other.usd is not None:
            return other.usd.as_of
    return None
