"""Exchange rates and exact currency conversion through cross rates."""

from __future__ import annotations

import bisect
import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cmhcost.domain.errors import CmhcostError, RateNotFoundError
from cmhcost.domain.limits import RATE_LOOK_BACK
from cmhcost.domain.money import Range
from cmhcost.schema.rates import RateSet

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
    layer: str = ""


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


def _quote(currency: str, stored: RateSet, layer: str) -> Quote:
    """`currency`'s rate in the set `stored`, as a quote of the named layer."""
    rate = stored.rates[currency]
    return Quote(currency, stored.base, rate, stored.date, stored.source, stored.method, layer)


def month_end(month: str) -> date:
    """The last day of a `YYYY-MM` month: a month's rate is the latest stored within it."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, calendar.monthrange(year, number)[1])


class RateTable:
    """Dated rates from one or more rate sets, looked up by currency and date."""

    def __init__(
        self, sets: Iterable[RateSet], look_back: timedelta = RATE_LOOK_BACK, layer: str = ""
    ) -> None:
        self.look_back = look_back
        self._stored: dict[str, list[tuple[RateSet, str]]] = {}
        self._dates: dict[str, list[date]] = {}
        self._rank: dict[str, int] = {}
        self._add_layers([(layer, sets)])

    @classmethod
    def layered(
        cls, layers: Sequence[tuple[str, Iterable[RateSet]]], look_back: timedelta = RATE_LOOK_BACK
    ) -> RateTable:
        """A table of named layers, lowest first: on the same date a later layer's rate wins."""
        table = cls((), look_back)
        table._add_layers(layers)
        return table

    def _add_layers(self, layers: Sequence[tuple[str, Iterable[RateSet]]]) -> None:
        # A quote is made when it is looked up: a table of thousands of rates answers a few.
        by_day: dict[str, dict[date, tuple[RateSet, str]]] = {}
        self._rank = {name: rank for rank, (name, _) in enumerate(layers)}
        for name, sets in layers:
            for s in sets:
                for code in s.rates:
                    by_day.setdefault(code, {})[s.date] = (s, name)  # a later layer wins the day
        self._dates = {code: sorted(days) for code, days in by_day.items()}
        self._stored = {code: [by_day[code][d] for d in self._dates[code]] for code in by_day}

    def currencies(self) -> set[str]:
        """Every currency that can be converted (at some date)."""
        return set(self._stored) | {PIVOT}

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
        stored, layer = self._stored[currency][index]
        return _quote(currency, stored, layer)

    def _quote_if_any(self, currency: str, on: date) -> Quote | None:
        try:
            return self.quote(currency, on)
        except RateNotFoundError:
            return None

    def _chain(self, currency: str, on: date) -> list[tuple[str, Decimal, tuple[Quote, ...]]]:
        """Each currency that `currency`'s rates go through to the euro, with the units of
        `currency` per one of it and the quotes that made that number.

        Each step is taken at the date of the quote before it, as the rate was stored."""
        chain: list[tuple[str, Decimal, tuple[Quote, ...]]] = [(currency, Decimal(1), ())]
        code, day, factor, quotes = currency, on, Decimal(1), tuple[Quote, ...]()
        while code != PIVOT:
            quote = self.quote(code, day)
            if quote.base in (c for c, _, _ in chain):
                path = " -> ".join([*(c for c, _, _ in chain), quote.base])
                raise CmhcostError(f"the stored rates convert {currency} through itself ({path})")
            factor, quotes = factor * quote.rate, (*quotes, quote)
            code, day = quote.base, quote.date
            chain.append((code, factor, quotes))
        return chain

    def per_pivot(self, currency: str, on: date) -> tuple[Decimal, tuple[Quote, ...]]:
        """Units of `currency` per one euro on `on`, and the quotes that made it."""
        _, factor, quotes = self._chain(currency, on)[-1]
        return factor, quotes

    def _direct(self, source: str, target: str, on: date) -> Quote | None:
        """A rate stored between the two currencies themselves (either way round), the highest
        layer's, then the latest: used as it was entered, the euro's included."""
        found = []
        for currency, base in ((source, target), (target, source)):
            quote = self._quote_if_any(currency, on)
            if quote is not None and quote.base == base:
                found.append((self._rank.get(quote.layer, 0), quote.date, quote))
        return max(found, key=lambda f: f[:2])[2] if found else None

    def convert(self, amount: Range, source: str, target: str, on: date) -> Conversion:
        """Convert an amount or a range from `source` to `target` at the rate for `on`.

        A rate stored between the two is used as it is; otherwise both go to the first currency
        their chains of rates share (the euro at the latest), so a rate stored per US dollar
        converts dollars without a detour through the euro at another date."""
        if source == target:
            return Conversion(amount, target, Decimal(1), ())
        direct = self._direct(source, target, on)
        if direct is not None and direct.currency == target:  # target per source: multiply
            rate = direct.rate
            low, high = amount.low * rate, amount.high * rate
            return Conversion(Range(low=low, high=high), target, rate, (direct,))
        if direct is not None:  # source per target: divide by the rate as it was entered
            low, high = amount.low / direct.rate, amount.high / direct.rate
            return Conversion(Range(low=low, high=high), target, 1 / direct.rate, (direct,))
        target_at = {code: (factor, quotes) for code, factor, quotes in self._chain(target, on)}
        source_rate, source_quotes, target_rate, target_quotes = next(
            (factor, quotes, *target_at[code])
            for code, factor, quotes in self._chain(source, on)
            if code in target_at
        )
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
    """What is stored for one currency: how many dates, the first and last, sources and layers."""

    currency: str
    dates: int
    first: date
    last: date
    sources: tuple[str, ...]
    layers: tuple[str, ...] = ()


@dataclass(frozen=True)
class RateListing:
    """The stored rates: a line per currency, and every quote of the currencies asked."""

    currencies: tuple[CurrencyRates, ...]
    quotes: tuple[Quote, ...]


def rate_listing(
    layers: Sequence[tuple[str, Iterable[RateSet]]], currencies: Iterable[str] = ()
) -> RateListing:
    """Summarise the stored rates of every layer; list every dated quote of `currencies`."""
    asked = set(currencies)
    seen: dict[str, list[Quote]] = {}
    for layer, sets in layers:
        for s in sets:
            for code in s.rates:
                seen.setdefault(code, []).append(_quote(code, s, layer))
    summary = []
    for code in sorted(seen):
        found = sorted(seen[code], key=lambda q: q.date)
        summary.append(
            CurrencyRates(
                code,
                len({q.date for q in found}),
                found[0].date,
                found[-1].date,
                tuple(sorted({q.source for q in found})),
                tuple(dict.fromkeys(q.layer for q in seen[code])),
            )
        )
    quotes = [q for code in sorted(asked & set(seen)) for q in seen[code]]
    return RateListing(tuple(summary), tuple(sorted(quotes, key=lambda q: (q.date, q.currency))))
