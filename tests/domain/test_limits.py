"""Every refusal of the exact-number checks and of a user's price index, with its message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from cmhcost.domain.errors import DatasetError
from cmhcost.domain.money import Range, check_number, check_range
from cmhcost.loading.user_index import parse_csv_index, parse_yaml_index


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        (Decimal("Infinity"), Decimal(1), "finite number"),
        (Decimal(2), Decimal(1), "low \\(2\\) is above high \\(1\\)"),
        (True, 1, "must be a number, not true/false"),
    ],
)
def test_a_range_refuses_what_is_not_an_ordered_finite_pair(
    low: object, high: object, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Range.model_validate({"low": low, "high": high})


def test_a_float_is_read_as_it_is_written() -> None:
    assert Range.model_validate({"low": 0.1, "high": 0.1}).low == Decimal("0.1")


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("1e15"), Decimal("1e-7"), Decimal("1.23456789012345")]
)
def test_numbers_beyond_exact_arithmetic_are_refused(value: Decimal) -> None:
    with pytest.raises(ValueError, match="finite|beyond what cmhcost computes exactly"):
        check_range(Range.model_construct(low=Decimal(1), high=value))


def test_numbers_within_the_bounds_pass() -> None:
    assert check_number(Decimal("99999999999999")) == Decimal("99999999999999")  # 14 digits
    assert check_number(Decimal(0)) == 0
    # Trailing zeros are not significant: 17 digits written, one significant.
    assert check_number(Decimal("1.0000000000000000")) == 1


def test_the_fifteenth_significant_digit_is_refused_behind_trailing_zeros() -> None:
    with pytest.raises(ValueError, match="at most 14 significant digits"):
        check_number(Decimal("1.00000000000000100"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year,level\n2020,1\n", "the header must be `year,index`"),
        ("# source: mine\n", "no header `year,index` or `year,pct`"),
        ("year,index\n2020,100\n", "too few years for an index"),
        ("year,pct\nabc,1\n", "'abc' is not a year"),
        ("year,pct\n2020,1\n2020,2\n", "year 2020 appears twice"),
        ("year,pct\n2020,x\n", "'x' is not a number"),
        ("year,pct\n2020,Infinity\n", "'Infinity': must be a finite number"),
        ("year,index\n2020,0\n2021,1\n", "an index level must be above zero"),
        ("year,pct\n2020,-100\n", "a price change cannot be -100% or less"),
        ("# country: ZZ\nyear,pct\n2020,1\n", "not an ISO 3166-1 alpha-2 country code"),
    ],
)
def test_a_csv_index_names_each_mistake(text: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        parse_csv_index(text, "index.csv")


def test_a_csv_index_with_its_source_and_country() -> None:
    index = parse_csv_index("# source: Stats NZ\n# country: NZ\n\nyear,pct\n2020,1.5\n")
    assert (index.source, index.country) == ("Stats NZ", "NZ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- 1\n- 2\n", "expected a mapping"),
        ("index: {2020: 1, 2021: 2}\npct: {2020: 1}\n", "give one mapping of year to value"),
        ("pct: {2020: 1}\nextra: 1\n", "unknown key 'extra'; expected country, source, index, pct"),
    ],
)
def test_a_yaml_index_names_each_mistake(text: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        parse_yaml_index(text, "index.yaml")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Range.model_construct(low=Decimal(1), high=Decimal(2)), "1-2"),
        ([3, 4], "3-4"),
        ("5", "5"),
        ({"low": 6, "high": 7}, "6-7"),
    ],
)
def test_an_amount_may_be_written_four_ways(value: object, expected: str) -> None:
    from pydantic import TypeAdapter

    from cmhcost.schema.services import Amount

    assert str(TypeAdapter(Amount).validate_python(value)) == expected


def test_an_amount_is_not_a_boolean() -> None:
    from pydantic import TypeAdapter

    from cmhcost.schema.services import Amount

    with pytest.raises(ValidationError):
        TypeAdapter(Amount).validate_python(True)
