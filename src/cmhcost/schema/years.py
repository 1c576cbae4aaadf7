"""Price years: the year whose prices an amount is in, and how that year was read from the text."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Protocol, TypeVar

from pydantic import Field


class PriceYearBasis(str, Enum):
    """How a figure's price year was read from the text."""

    STATED = "stated"  # the text gives the year of the figure
    FISCAL_YEAR_END = "fiscal-year-end"  # a period across two years (2017-2018): the year it ends
    ASSUMED = "assumed"  # the text gives none; the note says what the year was taken from


PriceYearBasisField = Annotated[
    PriceYearBasis | None,
    Field(default=None, description="stated (the default), fiscal-year-end or assumed."),
]
PriceYearNote = Annotated[
    str | None,
    Field(default=None, min_length=1, description="Why: required unless the year is stated."),
]


class Priced(Protocol):
    """A figure or a budget: an amount with a price year."""

    price_year: int | None
    price_year_basis: PriceYearBasis | None
    price_year_note: str | None


P = TypeVar("P", bound=Priced)


def price_year_explained(item: P) -> P:
    """A price year that the text does not state says how it was read (a model validator)."""
    year, basis, note = item.price_year, item.price_year_basis, item.price_year_note
    if basis is not None and year is None:
        raise ValueError(f"price_year_basis {basis.value!r} needs a price_year")
    if basis is not None and basis is not PriceYearBasis.STATED and note is None:
        raise ValueError(f"price_year_basis {basis.value!r} needs a price_year_note saying why")
    return item
