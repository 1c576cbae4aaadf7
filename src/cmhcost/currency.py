"""Exchange rates and exact currency conversion through cross rates."""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cmhcost.errors import RateNotFoundError
from cmhcost.limits import RATE_LOOK_BACK
from cmhcost.models import RateSet
from cmhcost.money import Range

PIVOT = "EUR"


@dataclass(frozen=True)
class Quote:
    """A stored rate: units of `currency` per one unit of `base` on `date`, from `source`."""

    currency: str
    base: str
    rate: Decimal
    date: date
    source: str
    method: str


@dataclass(frozen=True)
class Conversion:
    """An amount converted, with the rate applied and the stored quotes it came from."""

    amount: Range
    currency: str
    rate: Decimal  # units of `currency` per unit of the original currency
    quotes: tuple[Quote, ...]

    @property
    def rate_date(self) -> date | None:
        """The date of the oldest quote used (None when no conversion was needed)."""
        return min((q.date for q in self.quotes), default=None)

    @property
    def source(self) -> str:
        """The sources of the quotes used, joined."""
        return "; ".join(sorted({q.source for q in self.quotes}))


def month_end(month: str) -> date:
    """The last day of a `YYYY-MM` month: a month's rate is the latest stored within it."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, calendar.monthrange(year, number)[1])


class RateTable:
    """Dated rates from one or more rate sets, looked up by currency and date."""

    def __init__(self, sets: Iterable[RateSet], look_back: timedelta = RATE_LOOK_BACK) -> None:
        self.look_back = look_back
        self._quotes: dict[str, list[Quote]] = {}
        for rate_set in sets:
            for code, rate in rate_set.rates.items():
                quote = Quote(
                    code, rate_set.base, rate, rate_set.date, rate_set.source, rate_set.method
                )
                self._quotes.setdefault(code, []).append(quote)
        for quotes in self._quotes.values():
            quotes.sort(key=lambda q: q.date)
        self._dates = {code: [q.date for q in quotes] for code, quotes in self._quotes.items()}

    def latest_date(self) -> date:
        """The newest date any rate is stored for."""
        return max((dates[-1] for dates in self._dates.values()), default=date.today())

    def dates(self, currency: str) -> list[date]:
        """The dates with a stored rate for `currency`, oldest first."""
        return list(self._dates.get(currency, []))

    def quote(self, currency: str, on: date) -> Quote:
        """The rate for `currency` on `on`, or the nearest earlier one within the look-back."""
        dates = self._dates.get(currency, [])
        index = bisect.bisect_right(dates, on) - 1
        if index < 0 or on - dates[index] > self.look_back:
            raise RateNotFoundError(currency, on, dates)
        return self._quotes[currency][index]

    def per_pivot(self, currency: str, on: date) -> tuple[Decimal, tuple[Quote, ...]]:
        """Units of `currency` per one euro on `on`, and the quotes that made it."""
        if currency == PIVOT:
            return Decimal(1), ()
        quote = self.quote(currency, on)
        if quote.base == PIVOT:
            return quote.rate, (quote,)
        base_rate, base_quotes = self.per_pivot(quote.base, quote.date)
        return quote.rate * base_rate, (quote, *base_quotes)

    def convert(self, amount: Range, source: str, target: str, on: date) -> Conversion:
        """Convert an amount or a range from `source` to `target` at the rate for `on`."""
        if source == target:
            return Conversion(amount, target, Decimal(1), ())
        source_rate, source_quotes = self.per_pivot(source, on)
        target_rate, target_quotes = self.per_pivot(target, on)
        # Multiply before dividing, so that 33 GEL at 3.3 per USD comes out as exactly 10 USD.
        converted = Range(
            low=amount.low * target_rate / source_rate, high=amount.high * target_rate / source_rate
        )
        return Conversion(
            converted, target, target_rate / source_rate, source_quotes + target_quotes
        )


@dataclass(frozen=True)
class Converted:
    """What `cmhcost convert` reports: the amount asked, the date asked and the conversion."""

    amount: Range
    currency: str
    on: date
    conversion: Conversion


@dataclass(frozen=True)
class CurrencyRates:
    """What is stored for one currency: how many dates, the first and last, and the sources."""

    currency: str
    dates: int
    first: date
    last: date
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RateListing:
    """The stored rates: a line per currency, and every quote of the currencies asked."""

    currencies: tuple[CurrencyRates, ...]
    quotes: tuple[Quote, ...]


def rate_listing(sets: Iterable[RateSet], currencies: Iterable[str] = ()) -> RateListing:
    """Summarise the stored rates; list every dated quote of `currencies`."""
    asked = set(currencies)
    seen: dict[str, list[RateSet]] = {}
    quotes = []
    for rate_set in sorted(sets, key=lambda s: s.date):
        for code, rate in rate_set.rates.items():
            seen.setdefault(code, []).append(rate_set)
            if code in asked:
                quotes.append(
                    Quote(
                        code, rate_set.base, rate, rate_set.date, rate_set.source, rate_set.method
                    )
                )
    summary = tuple(
        CurrencyRates(
            code,
            len(seen[code]),
            seen[code][0].date,
            seen[code][-1].date,
            tuple(sorted({s.source for s in seen[code]})),
        )
        for code in sorted(seen)
    )
    return RateListing(summary, tuple(sorted(quotes, key=lambda q: (q.date, q.currency))))
