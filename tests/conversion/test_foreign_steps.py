"""The steps of the foreign-currency route on their own: the month, the rate, and what is noted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.foreign import GUIDANCE_MONTH, back_or_note, back_to_local, conversion_month
from cmhcost.domain.errors import CmhcostError, PriceDataError
from cmhcost.domain.money import Range
from cmhcost.loading.reader import parse_services
from tests.conftest import rate_set

RECORD = """
version: 1
services:
  - id: clinic
    name: A clinic
    place: Lima
    country: PE
    category: community-outreach
    figures:
      - id: visit-usd
        label: A visit, in dollars
        amount: 12
        currency: USD
        unit: visit
        price_year: 2020
      - id: budget-pen
        label: The budget, in soles
        amount: 350
        currency: PEN
        unit: visit
        price_year: 2020
        usd: {amount: 100, as_of: 2021-03}
"""


def clinic() -> tuple[object, object]:
    service = parse_services(RECORD).services["clinic"]
    return service, service.figures[0]


def test_the_month_is_that_of_the_records_own_conversion_of_local_amounts() -> None:
    service, figure = clinic()
    month, why = conversion_month(figure, service, "PEN")  # type: ignore[arg-type]
    assert month == "2021-03" and "conversion of its PEN amounts" in why
    # Without the record, the guidance's own month.
    assert conversion_month(figure, None, "PEN")[0] == GUIDANCE_MONTH  # type: ignore[arg-type]


def test_with_no_rate_of_the_local_currency_stored_the_step_fails() -> None:
    rates = RateTable([rate_set("2021-03-01", USD="1.2")])
    with pytest.raises(CmhcostError):
        back_to_local(Range.of(12), "USD", "PEN", ("2021-03", "asked"), rates)


def test_back_or_note_takes_the_amount_back_and_notes_the_rate() -> None:
    service, figure = clinic()
    # 1.2 USD and 4.4 PEN a euro on 2021-03-01: 12 US$ x 4.4 / 1.2 = PEN 44.
    rates = RateTable([rate_set("2021-03-01", USD="1.2", PEN="4.4")])
    notes: list[str] = []
    back = back_or_note(Range.of(12), figure, service, "PEN", rates, notes.append)  # type: ignore[arg-type]
    assert back is not None and back.amount.low == Decimal(44)
    assert notes == [back.note]


def test_back_or_note_without_a_local_rate_keeps_the_issuers_prices_and_says_so() -> None:
    service, figure = clinic()
    rates = RateTable([rate_set("2021-03-01", USD="1.2")])
    notes: list[str] = []
    assert back_or_note(Range.of(12), figure, service, "PEN", rates, notes.append) is None  # type: ignore[arg-type]
    assert notes == [
        "no PEN rate is stored: the USD amount is taken at the prices of the country that "
        "issues USD, not those of PE"
    ]
    with pytest.raises(PriceDataError, match="no exchange rates to take USD back to PEN"):
        back_or_note(Range.of(12), figure, service, "PEN", None, notes.append)  # type: ignore[arg-type]
