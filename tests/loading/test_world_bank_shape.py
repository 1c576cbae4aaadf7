"""A World Bank bulk CSV of the wrong shape is refused with its line; short rows are passed over."""

from __future__ import annotations

import pytest

from cmhcost.domain.errors import DatasetError
from cmhcost.loading.world_bank_csv import parse_world_bank_csv

HEAD = '"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020"'


def test_a_file_without_the_world_banks_header_is_refused() -> None:
    with pytest.raises(DatasetError, match=r"x\.csv:1: -: header: no World Bank header row"):
        parse_world_bank_csv("year,pct\n2020,1.5\n", "x.csv")


def test_two_indicators_in_one_file_are_a_problem_and_short_rows_are_passed_over() -> None:
    text = "\n".join(
        [
            '"Data Source","World Development Indicators",',
            HEAD,
            '"Kenya","KEN","Inflation","FP.CPI.TOTL.ZG","5.2","5.4"',
            '"note"',  # a short row: not a country's
            '"Brazil","BRA","Deflator","NY.GDP.DEFL.KD.ZG","7.1","4.4"',
        ]
    )
    *_, problems = parse_world_bank_csv(text, "wb.csv")
    assert [(p.line, p.field) for p in problems] == [(2, "Indicator Code")]
    assert (
        "more than one indicator in one file: FP.CPI.TOTL.ZG, NY.GDP.DEFL.KD.ZG"
        in problems[0].message
    )
