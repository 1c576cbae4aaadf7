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
class Options:
    """What the user asked of a comparison, checked and typed once by the command line."""

    currency: str = "USD"
    per: Per = Per.DAY
    rates_date: date | None = None
    categories: frozenset[Category] = frozenset()
    countries: frozenset[str] = frozenset()
    sort: SortKey = SortKey.CATEGORY
    basis: PriceBasis | None = None  # with price_year: every amount taken to that year and basis
    price_year: int | None = None
