"""The choices a user makes on the command line; stdlib only, so the CLI starts fast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum


class Category(str, Enum):
    """The guidance's own taxonomy of services (chapters 2-5)."""

    CRISIS = "crisis"
    HOSPITAL_BASED = "hospital-based"
    COMMUNITY_MENTAL_HEALTH_CENTRE = "community-mental-health-centre"
    PEER_SUPPORT = "peer-support"
    COMMUNITY_OUTREACH = "community-outreach"
    SUPPORTED_LIVING = "supported-living"
    LINKAGE = "linkage"
    SERVICE_NETWORK = "service-network"
    FINANCING = "financing"


class Per(str, Enum):
    """The period every amount is expressed per; `native` keeps each service's own unit."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    NATIVE = "native"


class SortKey(str, Enum):
    """How rows are ordered."""

    CATEGORY = "category"
    RATIO = "ratio"
    SAVING = "saving"
    COST = "cost"
    NAME = "name"


class PriceBasis(str, Enum):
    """How amounts from different countries and years are put on one basis."""

    MARKET = "market"  # inflate in the source country, then the market exchange rate of year T
    PPP = "ppp"  # inflate in the source country, then purchasing power parities of year T


class ForeignRoute(str, Enum):
    """How an amount in another country's currency (US dollars from India) reaches a price basis."""

    LOCAL = "local"  # back to the local currency at its conversion's rate, local index, then PPP
    ISSUER = "issuer"  # the issuing country's index and PPP, as if the amount were spent there


class SchemaName(str, Enum):
    """The files cmhcost reads."""

    SERVICES = "services"
    RATES = "rates"


INTERNATIONAL_DOLLAR = "I$"  # the currency of purchasing power parities (United States = 1)


@dataclass(frozen=True, kw_only=True)
class PriceBasisRequest:
    """Every amount taken to one price year and basis: what the user asked, before defaults."""

    basis: PriceBasis = PriceBasis.PPP
    target_year: int | None = None  # default: the latest year the tables cover
    to_country: str | None = None  # on PPP: the country whose PPP converts; default the issuer
    foreign: ForeignRoute = ForeignRoute.LOCAL  # an amount in another country's currency


@dataclass(frozen=True)
class Selection:
    """Which services a report covers and how its rows are ordered; nothing about money."""

    categories: frozenset[Category] = frozenset()  # none: every category
    countries: frozenset[str] = frozenset()  # ISO 3166-1 codes; none: every country
    sort: SortKey = SortKey.CATEGORY


@dataclass(frozen=True)
class AtExchangeRates:
    """Each amount in its own price year, converted at an exchange rate (no inflation)."""

    on: date | None = None  # the rates of this date; None: the month the text converted each figure


@dataclass(frozen=True, kw_only=True)
class OnPriceBasis:
    """Every amount inflated in its own country to one price year, then converted on a basis."""

    basis: PriceBasis
    price_year: int
    to_country: str | None = None  # on PPP: the country whose PPP converts; None: the issuer's
    foreign: ForeignRoute = ForeignRoute.LOCAL  # an amount in another country's currency


ConversionPolicy = AtExchangeRates | OnPriceBasis  # one or the other, never both


@dataclass(frozen=True, kw_only=True)
class Denomination:
    """What every amount of a report is expressed in: a currency, per a period, and how amounts
    in other currencies (and price years) were brought to it."""

    currency: str = "USD"  # an ISO 4217 code
    per: Per = Per.DAY
    policy: ConversionPolicy = AtExchangeRates()

    @property
    def rates_date(self) -> date | None:
        """The one date every amount converts at, when one was asked (exchange rates only)."""
        return self.policy.on if isinstance(self.policy, AtExchangeRates) else None

    @property
    def price_basis(self) -> OnPriceBasis | None:
        """The price basis every amount is taken to; None at exchange rates."""
        return self.policy if isinstance(self.policy, OnPriceBasis) else None
