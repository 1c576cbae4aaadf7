"""An amount in another country's currency, taken back to the local currency before its prices.

The guidance prints many figures in US dollars for services in India, Peru or Kenya. Priced as
American (US CPI, US PPP = 1), such a figure loses the local price level: Naya Daur's US$ 45 a month
came out at a third of its own 107 rupees a day. The recommended route (Turner et al., Value in
Health 2019; the CCEMG-EPPI-Centre Cost Converter's two steps) takes it back to the local currency
at the rate of its conversion, inflates it with the local index, then applies PPP or the target's
market rate. `ForeignRoute.ISSUER` keeps the older route: the issuing country's index and PPP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from cmhcost.conversion.exchange import RateTable, month_end
from cmhcost.domain.errors import CmhcostError, PriceDataError
from cmhcost.domain.money import Range

if TYPE_CHECKING:
    from cmhcost.schema.services import Figure, Service

GUIDANCE_MONTH = "2021-02"  # the guidance converts its figures "as of February 2021"


@dataclass(frozen=True)
class BackToLocal:
    """A foreign-currency amount taken back to its country's currency, and at which rate."""

    amount: Range  # in `local`
    currency: str  # the figure's own currency
    local: str
    rate: Decimal  # units of `local` per unit of `currency`
    on: date | None  # the date of the stored rate used
    source: str  # where the rate comes from
    why: str  # why this rate: the conversion month, or the nearest stored rate

    @property
    def note(self) -> str:
        """One line for a row's notes."""
        return (
            f"{self.currency} back to {self.local} at {self.rate:.6g} {self.local} per "
            f"{self.currency} ({self.why}; {self.source}), the local currency whose prices apply"
        )


def local_currency(country: str, issuers: dict[str, str], euro_area: frozenset[str]) -> str | None:
    """The currency of `country`, when cmhcost knows it."""
    if country in euro_area:
        return "EUR"
    return next((code for code, home in issuers.items() if home == country), None)


def conversion_month(figure: Figure, service: Service | None, local: str) -> tuple[str, str]:
    """The month the text converted the figure at, and why: its own stated month, the month of
    the record's conversion of a local amount, or the guidance's month."""
    if figure.usd is not None:
        return figure.usd.as_of, f"the text's conversion month {figure.usd.as_of}"
    if service is not None:
        costs = (b.cost for b in service.baselines if b.cost is not None)
        for other in (*service.figures, *costs):
            if other.currency == local and other.usd is not None:
                month = other.usd.as_of
                return month, f"the record's conversion of its {local} amounts, as of {month}"
    return GUIDANCE_MONTH, f"the guidance's conversion month {GUIDANCE_MONTH}"


def back_to_local(
    amount: Range, currency: str, local: str, month: tuple[str, str], rates: RateTable
) -> BackToLocal:
    """`amount` in `local` at the stored rate of the conversion month, or, where that is all
    there is, the stored rate nearest that month (such as one the guidance's own figures imply)."""
    asked, why = month
    on = month_end(asked)
    try:
        converted = rates.convert(amount, currency, local, on)
    except CmhcostError:
        stored = rates.dates(local)
        if not stored:
            raise
        nearest = min(stored, key=lambda d: (abs((d - on).days), d))
        converted = rates.convert(amount, currency, local, nearest)
        why = f"{why}; no rate stored then, the nearest stored rate, of {nearest}"
    sources = "; ".join(sorted({q.source.split(" (")[0] for q in converted.quotes}))
    return BackToLocal(
        converted.amount, currency, local, converted.rate, converted.rate_date, sources, why
    )


def back_or_note(
    amount: Range,
    figure: Figure,
    service: Service,
    local: str,
    rates: RateTable | None,
    note: Callable[[str], None],
) -> BackToLocal | None:
    """`amount` back in `local` at its conversion's rate, noted; None, with a note saying so, when
    no rate of `local` is stored at all (the amount then keeps its issuer's prices)."""
    if rates is None:
        raise PriceDataError(f"no exchange rates to take {figure.currency} back to {local}")
    try:
        month = conversion_month(figure, service, local)
        back = back_to_local(amount, figure.currency, local, month, rates)
        note(back.note)
        return back
    except CmhcostError:
        country = figure.country or service.country
        note(
            f"no {local} rate is stored: the {figure.currency} amount is taken at the prices "
            f"of the country that issues {figure.currency}, not those of {country}"
        )
        return None
