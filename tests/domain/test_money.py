from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from cmhcost.domain.money import Range, all_rates, check_rate

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2)


def test_a_single_amount_is_a_point_range() -> None:
    value = Range.of("1460")
    assert value.is_point and value.low == value.high == Decimal("1460")


def test_floats_are_read_through_their_shortest_text() -> None:
    assert Range(low=69.5, high=82.5).low == Decimal("69.5")


@pytest.mark.parametrize(
    "bad", [{"low": 2, "high": 1}, {"low": "nan", "high": 1}, {"low": True, "high": 1}]
)
def test_rejects_reversed_non_finite_and_boolean_bounds(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Range.model_validate(bad)


def test_low_ratio_is_low_cost_over_high_baseline() -> None:
    ratio = Range.of(130, 400) / Range.of(1200, 2400)
    assert ratio.low == Decimal(130) / Decimal(2400)
    assert ratio.high == Decimal(400) / Decimal(1200)


def test_subtraction_widens_the_interval() -> None:
    assert Range.of(10, 20) - Range.of(1, 2) == Range.of(8, 19)


def test_division_by_a_range_containing_zero_is_refused() -> None:
    with pytest.raises(ZeroDivisionError):
        Range.of(1) / Range.of(0, 1)


@given(a=amounts, b=amounts, c=amounts, d=amounts, x=st.floats(0, 1), y=st.floats(0, 1))
def test_quotient_contains_every_quotient_of_members(
    a: Decimal, b: Decimal, c: Decimal, d: Decimal, x: float, y: float
) -> None:
    top, bottom = Range.of(min(a, b), max(a, b)), Range.of(min(c, d), max(c, d))
    member_top = top.low + (top.high - top.low) * Decimal(repr(x))
    member_bottom = bottom.low + (bottom.high - bottom.low) * Decimal(repr(y))
    quotient = top / bottom
    assert quotient.low <= member_top / member_bottom <= quotient.high


def _accepted(value: Decimal) -> bool:
    try:
        check_rate(value)
    except ValueError:
        return False
    return True


rate_like = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=Decimal("1e-7"), max_value=Decimal("2e15")),
    st.sampled_from([Decimal("1e-6"), Decimal("1e15"), Decimal("999999999999999"), Decimal(0)]),
)


@given(st.lists(rate_like.map(str) | st.sampled_from(["x", "", "1_000", "0.00000123456789012345"])))
def test_all_rates_at_once_agrees_with_each_rate_checked(numerals: list[str]) -> None:
    each = [Decimal(n) if _is_number(n) else None for n in numerals]
    accepted = bool(each) and all(d is not None and _accepted(d) for d in each)
    assert all_rates(numerals) == (each if accepted else None)


def _is_number(numeral: str) -> bool:
    try:
        Decimal(numeral)
    except ArithmeticError:
        return False
    return True


def test_all_rates_at_once_at_the_bounds() -> None:
    # each pair holds one value that check_rate alone accepts or refuses at its bound
    assert all_rates(["1e-6", "99999999999999"]) == [Decimal("1e-6"), Decimal("99999999999999")]
    assert all_rates(["1e-6", "999999999999999"]) is None  # 15 significant digits
    assert all_rates(["0.0000009", "1"]) is None
    assert all_rates(["1", "1e15"]) is None
    assert all_rates(["1", "0.00000123456789012345"]) is None  # 123456789012345: 15 digits
    # 12345678901234: 14 significant digits in a 21-character numeral
    assert all_rates(["1", "0.0000012345678901234"]) == [
        Decimal(1),
        Decimal("0.0000012345678901234"),
    ]
