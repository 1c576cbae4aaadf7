"""Rates files: the compact layout, and every mistake reported once with its line."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from cmhcost.domain.errors import DatasetError
from cmhcost.loading.paths import shipped_rates
from cmhcost.loading.rates_file import dump_rates, parse_rates
from cmhcost.loading.reader import load_rates
from cmhcost.schema.rates import RatesFile
from tests.conftest import FIXTURES, rate_set

INVALID = FIXTURES / "invalid" / "rates"

# file -> (line, record, field, a part of the message); each file holds one mistake.
EXPECTED = {
    "base-cycle": (8, "sets[1]", "base", "GEL -> USD -> GEL: a currency converts through itself"),
    "base-in-its-rates": (7, "sets[0]", "rates", "GBP is the set's base: a base has no rate"),
    "duplicate-set": (8, "sets[1]", "date", "duplicate set: the same date, base, source and method as the set at line 7"),
    "empty-rates": (7, "sets[0]", "rates", "no rates: a set gives at least one"),
    "implied-overlaps-published": (8, "sets[1]", "rates", "GBP on 2021-03-01 is also given at line 7 (European Central Bank euro reference rates); which wins is unclear"),
    "impossible-date": (7, "sets[0]", "date", "2021-02-30 is not a real date"),
    "misspelt-key": (7, "sets[0]", "sorce", "unknown key 'sorce'; did you mean 'source'?"),
    "negative-rate": (7, "sets[0]", "rates", "USD: a rate must be a finite number above zero"),
    "no-sets": (6, "-", "sets", "must be a list of at least one rate set"),
    "rate-not-a-number": (7, "sets[0]", "rates", "USD: 'one' is not a number"),
    "unknown-base": (7, "sets[0]", "base", "'ABC' is not an ISO 4217 currency code"),
}  # fmt: skip


def test_every_invalid_rates_fixture_has_an_expected_message() -> None:
    assert {p.stem for p in INVALID.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_rates_file_is_reported_at_its_line(name: str) -> None:
    line, record, field, message = EXPECTED[name]
    path = INVALID / f"{name}.yaml"
    with pytest.raises(DatasetError) as caught:
        load_rates(path)
    found = [(p.file, p.line, p.record, p.field) for p in caught.value.problems]
    assert (str(path), line, record, field) in found, str(caught.value)
    assert message in str(caught.value)


def test_named_sources_and_string_rates_read_as_exact_decimals() -> None:
    text = (
        "version: 1\nsources:\n  ecb: European Central Bank\n"
        'sets:\n  - {date: 2021-02-01, base: EUR, source: ecb, method: m, rates: "GBP 0.882 USD 1.20840"}\n'
    )
    (rates,) = parse_rates(text).sets
    assert rates.source == "European Central Bank"
    assert {c: str(r) for c, r in rates.rates.items()} == {"GBP": "0.882", "USD": "1.20840"}


def test_the_block_layout_still_reads() -> None:
    sets = load_rates(FIXTURES / "valid" / "rates.yaml").sets
    assert sets[0].rates["USD"] == Decimal("1.2")


def test_dump_then_parse_gives_the_same_rates() -> None:
    original = RatesFile(
        sets=(
            rate_set("2021-02-01", USD="1.2084", GBP="0.882"),
            rate_set("2021-03-01", base="USD", GEL="3.322259"),
        )
    )
    text = dump_rates(original, "# header", {"test rates 2021-02-01": "feb"})
    assert 'sources:\n  feb: "test rates 2021-02-01"' in text
    assert parse_rates(text).sets == original.sets


def test_the_shipped_file_is_one_line_a_set() -> None:
    text = shipped_rates().read_text()
    rates = parse_rates(text, str(shipped_rates()))
    assert text.count("\n  - {date: ") == len(rates.sets) > 100


ONE = (
    "version: 1\nsets:\n  - {date: 2021-02-01, base: EUR, source: s, method: m, rates: 'USD 1.2'}\n"
)
INLINE_MISTAKES = {
    "a list": ("- 1\n", "the file must be a mapping with a 'sets' list"),
    "syntax": ("sets: [\n", "YAML syntax"),
    "unknown top key": (ONE + "extra: 1\n", "unknown top-level key 'extra'; expected version"),
    "version": (ONE.replace("version: 1", "version: 2"), "only version 1 is understood"),
    "sources not texts": (ONE + "sources: {s: ''}\n", "must map short names to non-empty texts"),
    "set not a mapping": ("version: 1\nsets: [1]\n", "a set must be a mapping"),
    "text date": (ONE.replace("2021-02-01", "'2021-02'"), "'2021-02' is not a date"),
    "number date": (ONE.replace("2021-02-01", "20210201"), "20210201 is not a date"),
    "quoted date, year 1900": (ONE.replace("2021-02-01", "'1900-01-01'"), "must be from 1950"),
    "empty source": (ONE.replace("source: s", "source: ''"), "must be a non-empty text"),
    "rates a list": (ONE.replace("'USD 1.2'", "[1]"), "a mapping or a text of code-rate pairs"),
    "bad code": (ONE.replace("USD 1.2", "usd 1.2"), "'usd' is not a three-letter currency code"),
    "code twice": (ONE.replace("USD 1.2", "USD 1.2 USD 1.3"), "USD: given twice in the set"),
    "odd pairs": (ONE.replace("USD 1.2", "USD 1.2 GBP"), "GBP: '' is not a number"),
    "boolean rate": (ONE.replace("'USD 1.2'", "{USD: true}"), "USD: True is not a number"),
}


@pytest.mark.parametrize("case", sorted(INLINE_MISTAKES))
def test_each_inline_mistake_is_named(case: str) -> None:
    text, message = INLINE_MISTAKES[case]
    with pytest.raises(DatasetError, match=re.escape(message)):
        parse_rates(text, "rates.yaml")
