"""Pydantic models of cmhcost's YAML files: services, cost figures, baselines, provenance."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from cmhcost.domain.choices import Category
from cmhcost.domain.limits import LONG_TEXT, SHORT_TEXT
from cmhcost.domain.money import Range
from cmhcost.domain.rules import check_year
from cmhcost.schema.fields import Amount, CountryCode, CurrencyCode, PositiveAmount, Year
from cmhcost.schema.pilot_terms import CapitalLine, PilotTerms, Rate, default_discount_rate
from cmhcost.schema.years import PriceYearBasisField, PriceYearNote, price_year_explained

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"  # at most 100 characters
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


class Strict(BaseModel):
    """Base of every model: unknown keys are errors and records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Denominator(str, Enum):
    """Who or what a unit cost is counted per."""

    PERSON = "person"  # a service user (a bed-night is one person-day)
    CAPITA = "capita"  # a resident of the catchment population
    SERVICE = "service"  # the whole service: a total or a budget
    EVENT = "event"  # a visit, consultation, admission, meeting ...


class Unit(str, Enum):
    """What one amount pays for."""

    BED_NIGHT = "bed-night"
    PERSON_DAY = "person-day"
    PERSON_WEEK = "person-week"
    PERSON_MONTH = "person-month"
    PERSON_YEAR = "person-year"
    PERSON = "person"  # one person's whole episode of support
    CAPITA_YEAR = "capita-year"
    SERVICE_DAY = "service-day"
    SERVICE_MONTH = "service-month"
    SERVICE_YEAR = "service-year"
    SERVICE_TOTAL = "service-total"  # a lump sum for a stated period
    VISIT = "visit"
    CONSULTATION = "consultation"
    MEETING = "meeting"
    ADMISSION = "admission"
    EPISODE = "episode"

    @property
    def denominator(self) -> Denominator:
        """The population the unit counts (users, residents, the service, events)."""
        return _UNIT_SHAPE[self][0]

    @property
    def days(self) -> Decimal | None:
        """The period the unit spans in days, or None for a unit with no period."""
        return _UNIT_SHAPE[self][1]


DAYS_PER_WEEK = Decimal(7)
DAYS_PER_YEAR = Decimal("365.25")
DAYS_PER_MONTH = DAYS_PER_YEAR / 12

_UNIT_SHAPE: dict[Unit, tuple[Denominator, Decimal | None]] = {
    Unit.BED_NIGHT: (Denominator.PERSON, Decimal(1)),
    Unit.PERSON_DAY: (Denominator.PERSON, Decimal(1)),
    Unit.PERSON_WEEK: (Denominator.PERSON, DAYS_PER_WEEK),
    Unit.PERSON_MONTH: (Denominator.PERSON, DAYS_PER_MONTH),
    Unit.PERSON_YEAR: (Denominator.PERSON, DAYS_PER_YEAR),
    Unit.PERSON: (Denominator.PERSON, None),
    Unit.CAPITA_YEAR: (Denominator.CAPITA, DAYS_PER_YEAR),
    Unit.SERVICE_DAY: (Denominator.SERVICE, Decimal(1)),
    Unit.SERVICE_MONTH: (Denominator.SERVICE, DAYS_PER_MONTH),
    Unit.SERVICE_YEAR: (Denominator.SERVICE, DAYS_PER_YEAR),
    Unit.SERVICE_TOTAL: (Denominator.SERVICE, None),
    Unit.VISIT: (Denominator.EVENT, None),
    Unit.CONSULTATION: (Denominator.EVENT, None),
    Unit.MEETING: (Denominator.EVENT, None),
    Unit.ADMISSION: (Denominator.EVENT, None),
    Unit.EPISODE: (Denominator.EVENT, None),
}


class FigureKind(str, Enum):
    """What a figure is: a cost, or money that is not a cost of care."""

    COST = "cost"  # what the service costs to run or deliver
    BUDGET = "budget"  # money allocated
    FUNDING = "funding"  # a grant or funding received
    PAYMENT = "payment"  # a rate paid to the provider per unit (reimbursement, tariff)
    FEE = "fee"  # charged to the person using the service
    INCOME = "income"  # paid to people: allowances, honoraria, benefits, wages
    SAVING = "saving"  # money the text says was saved


class Relation(str, Enum):
    """How a relative baseline relates to the service figure it is compared with."""

    BASELINE_TIMES = "baseline-times"  # the baseline costs VALUE times the service
    BASELINE_PERCENT_MORE = "baseline-percent-more"  # the baseline costs VALUE% more
    SERVICE_PERCENT_LESS = "service-percent-less"  # the service costs VALUE% less
    SERVICE_PERCENT_OF = "service-percent-of"  # the service costs VALUE% of the baseline


class ContextKind(str, Enum):
    """Numbers that turn a budget into a unit cost, kept where the text gives them."""

    BEDS = "beds"
    PLACES = "places"
    PEOPLE_SERVED = "people-served"
    STAYS = "stays"
    VISITS = "visits"
    CATCHMENT_POPULATION = "catchment-population"
    LENGTH_OF_STAY_DAYS = "length-of-stay-days"
    OCCUPANCY = "occupancy"
    STAFF = "staff"
    OTHER = "other"


def _share_of_beds(occupancy: Range) -> Range:
    """An occupancy is the share of beds in use: above 0, at most 1."""
    high = occupancy.high
    if high > 1:
        percent = f"{(high * 100).normalize():f}"
        hint = f"; write {(high / 100).normalize():f} for {high}%" if high > 2 else ""
        raise ValueError(
            f"occupancy is the share of beds in use, at most 1 ({high} would be {percent}%){hint}"
        )
    return occupancy


Occupancy = Annotated[PositiveAmount, AfterValidator(_share_of_beds)]
ShortText = Annotated[str, Field(min_length=1, max_length=SHORT_TEXT)]
LongText = Annotated[str, Field(min_length=1, max_length=LONG_TEXT)]


class Provenance(Strict):
    """Where a figure was read: document, section, lines and a short verbatim quote."""

    document: ShortText = Field(description="File name of the source document.")
    section: ShortText = Field(description="Section number and title.")
    lines: tuple[int, int] = Field(description="First and last line of the quote (1-based).")
    quote: LongText = Field(description="The words of the source, verbatim.")

    @field_validator("lines")
    @classmethod
    def _ordered(cls, lines: tuple[int, int]) -> tuple[int, int]:
        if lines[0] < 1 or lines[1] < lines[0]:
            raise ValueError("lines must be [first, last] with 1 <= first <= last")
        return lines


class UsdEquivalent(Strict):
    """The US dollar equivalent the text prints beside a local figure."""

    amount: Amount
    as_of: str = Field(pattern=MONTH_PATTERN, description="Conversion month, YYYY-MM.")

    @field_validator("as_of")
    @classmethod
    def _month_in_years(cls, as_of: str) -> str:
        check_year(int(as_of[:4]))
        return as_of


class Figure(Strict):
    """One monetary figure exactly as the text prints it."""

    id: str = Field(pattern=ID_PATTERN, description="Unique within its record.")
    label: ShortText
    kind: FigureKind = FigureKind.COST
    amount: PositiveAmount
    currency: CurrencyCode
    unit: Unit
    price_year: Year | None = None
    price_year_basis: PriceYearBasisField = None
    price_year_note: PriceYearNote = None
    country: CountryCode | None = None  # when not the record's: it decides the price index and PPP
    usd: UsdEquivalent | None = None
    same_as: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9-]{0,99}/[a-z0-9][a-z0-9-]{0,99}$",
        description="RECORD/FIGURE id of the figure this one restates from another document.",
    )
    flags: tuple[LongText, ...] = ()
    source: Provenance | None = Field(
        default=None, description="Required in the shipped data; optional in a planner's file."
    )

    _price_year = model_validator(mode="after")(price_year_explained)


class RelativeCost(Strict):
    """A baseline the text states relative to the service instead of as an amount."""

    relation: Relation
    value: PositiveAmount
    words: LongText = Field(description="The text's own words for the relation.")
    price_year: Year | None = None  # the year the text gives for the relation, if any
    source: Provenance | None = None

    @model_validator(mode="after")
    def _less_than_everything(self) -> RelativeCost:
        if self.relation is Relation.SERVICE_PERCENT_LESS and self.value.high >= 100:
            raise ValueError("a service cannot cost 100% or more less than its baseline")
        return self


class Baseline(Strict):
    """The hospital or institutional care a service is compared with."""

    id: str = Field(pattern=ID_PATTERN)
    label: ShortText
    compare: str | None = Field(
        default=None, description="Id of the service figure compared; default the first figure."
    )
    cost: Figure | None = None
    relative: RelativeCost | None = None
    flags: tuple[LongText, ...] = ()
    caveats: tuple[LongText, ...] = Field(
        default=(),
        description="Why the comparison's basis is questionable; shown beside the row in every format.",
    )
    not_compared: LongText | None = Field(
        default=None,
        description="Why the text does not support comparing this baseline with the figure; "
        "the baseline is then listed as not compared with this reason.",
    )
    same_as: str | None = Field(
        default=None,
        pattern=ID_PATTERN,
        description="Id of a baseline of this record that this one restates (the same claim "
        "quoted again): one row, both quotes as sources.",
    )

    @model_validator(mode="after")
    def _has_cost_or_relation(self) -> Baseline:
        if self.cost is None and self.relative is None:
            raise ValueError("a baseline needs a cost, a relative statement, or both")
        return self


class Context(Strict):
    """A number that gives a figure its scale: beds, people served, population ..."""

    kind: ContextKind
    value: PositiveAmount
    label: ShortText
    year: Year | None = None
    source: Provenance | None = None

    @model_validator(mode="after")
    def _occupancy(self) -> Context:
        if self.kind is ContextKind.OCCUPANCY:
            _share_of_beds(self.value)
        return self


class BudgetLine(Strict):
    """One line of an annual budget: staff, premises, running costs ..."""

    label: ShortText
    amount: PositiveAmount


class Capacity(Strict):
    """What a budget buys in a year: exactly one of beds (with occupancy), people or population."""

    beds: PositiveAmount | None = Field(default=None, description="Beds or places.")
    occupancy: Occupancy | None = Field(default=None, description="Share of beds in use, 0-1.")
    residents: PositiveAmount | None = Field(
        default=None, description="People living in it all year."
    )
    people_per_year: PositiveAmount | None = Field(
        default=None, description="Different people served a year."
    )
    population: PositiveAmount | None = Field(default=None, description="Catchment population.")

    @model_validator(mode="after")
    def _one_measure(self) -> Capacity:
        given = [
            n for n in ("beds", "residents", "people_per_year", "population") if getattr(self, n)
        ]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of beds (with occupancy), residents, people_per_year or population"
                + (f"; found {', '.join(given)}" if given else "")
            )
        if self.beds is not None and self.occupancy is None:
            raise ValueError("beds need an occupancy (0.8 for 80% of beds in use)")
        if self.occupancy is not None and self.beds is None:
            raise ValueError("occupancy goes with beds")
        return self


class Budget(Strict):
    """An annual budget and capacity from which a unit cost is derived (and shown how)."""

    id: str = Field(default="budget", pattern=ID_PATTERN, description="Id of the derived figure.")
    label: str = Field(default="Unit cost derived from the annual budget", min_length=1)
    currency: CurrencyCode
    price_year: Year | None = None
    price_year_basis: PriceYearBasisField = None
    price_year_note: PriceYearNote = None
    lines: tuple[BudgetLine, ...] = Field(min_length=1)
    capital: tuple[CapitalLine, ...] = Field(
        default=(), description="One-off start-up costs, annualised and added to the unit cost."
    )
    discount_rate: Rate = Field(
        default_factory=default_discount_rate,
        description="Annual discount rate for capital and the horizon (default 0.03, WHO-CHOICE).",
    )
    capacity: Capacity
    check: str | None = Field(
        default=None,
        description="Id of a stated unit-cost figure the derived cost is checked against.",
    )
    flags: tuple[LongText, ...] = ()
    source: Provenance | None = None

    _price_year = model_validator(mode="after")(price_year_explained)


class Service(Strict):
    """A service of the guidance (or a planner's pilot) with its figures and baselines."""

    id: str = Field(pattern=ID_PATTERN)
    name: ShortText
    place: ShortText
    country: CountryCode
    category: Category
    tags: tuple[Category, ...] = Field(
        default=(),
        description="Secondary categories: a crisis scheme of a supported-living service.",
    )
    figures: tuple[Figure, ...] = ()
    budget: Budget | None = None
    baselines: tuple[Baseline, ...] = ()
    context: tuple[Context, ...] = ()
    flags: tuple[LongText, ...] = ()
    pilot: PilotTerms | None = Field(default=None, description="A planner's pilot terms.")

    def in_category(self, categories: Iterable[Category]) -> bool:
        """True when the service's category or one of its tags is among `categories`."""
        return not {self.category, *self.tags}.isdisjoint(categories)


class ServicesFile(Strict):
    """The top level of a services YAML file."""

    version: Literal[1] = 1
    services: tuple[Service, ...]
