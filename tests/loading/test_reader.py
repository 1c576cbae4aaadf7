"""Loading: every bad file gets one clear message with file, line, record and field."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import DatasetError
from cmhcost.domain.money import check_number
from cmhcost.loading.reader import load_rates, load_services, parse_rates, parse_services
from tests.conftest import FIXTURES

INVALID = FIXTURES / "invalid"

# file -> (line, record, field, a part of the message); each file holds one mistake.
EXPECTED = {
    "bracket-key": (5, "pilot", "notes[1]", "unknown key 'notes[1]'; valid keys: baselines"),
    "bracket-amount-key": (11, "pilot", "figures[0].amount[high]", "did you mean 'amount'?"),
    "control-character": (10, "-", "-", "a control character (U+007F) is not allowed in YAML"),
    "bad-conversion-month": (14, "pilot", "figures[0].usd.as_of", "should match pattern"),
    "bad-id": (3, "Pilot House", "id", "should match pattern"),
    "baseline-without-cost": (20, "pilot", "baselines[0]", "needs a cost, a relative statement"),
    "billion-laughs": (7, "-", "-", "aliases expand to more than 100,000 values"),
    "comments-only": (1, "-", "-", "the file is empty"),
    "compare-unknown-figure": (22, "pilot", "baselines[0].compare", "no figure 'cost-per-night'"),
    "country-no-boolean": (
        6,
        "pilot",
        "country",
        'YAML reads NO as a boolean; write "NO" in quotes',
    ),
    "currency-symbol": (12, "pilot", "figures[0].currency", "write the ISO 4217 code (USD)"),
    "duplicate-figure-id": (19, "pilot", "figures[1].id", "duplicate figure id 'cost'"),
    "duplicate-key": (
        12,
        "pilot",
        "figures[0].amount",
        "duplicate key 'amount' (first at line 11)",
    ),
    "duplicate-record-id": (19, "pilot", "id", "duplicate record id (first at line 3)"),
    "empty": (1, "-", "-", "the file is empty"),
    "price-year-without-note": (9, "pilot", "figures[0]", "needs a price_year_note saying why"),
    "infinite-amount": (11, "pilot", "figures[0].amount", "finite number"),
    "missing-unit": (9, "pilot", "figures[0].unit", "missing; one of: bed-night, person-day"),
    "misspelt-key": (
        11,
        "pilot",
        "figures[0].amout",
        "unknown key 'amout'; did you mean 'amount'?",
    ),
    "negative-amount": (11, "pilot", "figures[0].amount", "must be above zero"),
    "not-utf8": (5, "-", "-", "not UTF-8 text (byte 0xf3)"),
    "occupancy-percent": (
        20,
        "pilot",
        "context[0]",
        "occupancy is the share of beds in use, at most 1 (80 would be 8000%); write 0.8 for 80%",
    ),
    "octal-number": (11, "pilot", "figures[0].amount", "YAML 1.1 reads as an octal number (320)"),
    "python-tag": (18, "pilot", "figures[0].source.quote", "unsupported YAML tag"),
    "relative-without-figure": (9, "pilot", "baselines[0]", "the record has none"),
    "reversed-lines": (17, "pilot", "figures[0].source.lines", "1 <= first <= last"),
    "reversed-range": (11, "pilot", "figures[0].amount", "low (6000) is above high (5000)"),
    "same-as-missing": (14, "pilot", "figures[0].same_as", "no figure 'other-record/cost'"),
    "services-not-a-list": (2, "-", "services", "must be a list of services"),
    "top-level-list": (1, "-", "-", "must be a mapping with a 'services' list"),
    "unknown-category": (7, "pilot", "category", "'community-mental-health-centre'"),
    "unknown-country": (6, "pilot", "country", "'XK' is not an ISO 3166-1 alpha-2"),
    "unknown-currency": (12, "pilot", "figures[0].currency", "'KSH' is not an ISO 4217"),
    "unknown-top-level-key": (19, "-", "servics", "unknown top-level key"),
    "unknown-unit": (13, "pilot", "figures[0].unit", "'bed-night', 'person-day'"),
    "wrong-version": (1, "-", "version", "only version 1"),
    "yaml-syntax": (6, "-", "-", "YAML syntax"),
    "zero-amount": (11, "pilot", "figures[0].amount", "must be above zero"),
    "zero-baseline-times": (25, "pilot", "baselines[0].relative.value", "must be above zero"),
    # One reader, one set of rules: no tags, no YAML 1.1 number forms, no merge keys.
    "binary-tag": (18, "pilot", "figures[0].source.quote", "unsupported YAML tag '!!binary'"),
    "set-tag": (8, "pilot", "flags", "unsupported YAML tag '!!set'"),
    "merge-key": (12, "pilot", "figures[0]", "merge keys (<<) are not supported"),
    # 1:23:20 = 1 x 3600 + 23 x 60 + 20 = 5000; 0x1388 = 1 x 4096 + 3 x 256 + 8 x 16 + 8 = 5000.
    "base-60-number": (
        11,
        "pilot",
        "figures[0].amount",
        "1:23:20 is a base-60 number in YAML 1.1 (5000)",
    ),
    "hex-number": (
        11,
        "pilot",
        "figures[0].amount",
        "0x1388 is a hexadecimal number in YAML 1.1 (5000)",
    ),
    "boolean-key": (8, "pilot", "-", "a key must be a plain word, not 'on'"),
    "two-documents": (19, "-", "-", "more than one YAML document"),
    # Dates: real ones where a date is meant, quoted where text is meant.
    "impossible-date-in-text": (5, "pilot", "place", "2024-02-30 is not a real date"),
    "date-in-text": (10, "pilot", "figures[0].label", 'write "2021-02-01" in quotes'),
    "month-of-year-zero": (14, "pilot", "figures[0].usd.as_of", "from 1950 to 2100"),
    "price-year-out-of-range": (14, "pilot", "figures[0].price_year", "from 1950 to 2100"),
    # Numbers cmhcost computes exactly: 1e-6 <= size < 1e15, at most 14 significant digits.
    "huge-number": (14, "pilot", "budget.capacity.beds", "1E+30 is beyond what cmhcost computes"),
    "tiny-relative-value": (
        25,
        "pilot",
        "baselines[0].relative.value",
        "1E-30 is beyond what cmhcost computes",
    ),
    "too-many-digits": (11, "pilot", "figures[0].amount", "at most 14 significant digits"),
    "occupancy-over-one": (
        15,
        "pilot",
        "budget.capacity.occupancy",
        "at most 1 (1.2 would be 120%)",
    ),
    # Limits: nesting, aliases, text lengths.
    "deep-nesting": (19, "-", "-", "nested deeper than 32 levels"),
    "alias-bomb-elsewhere": (7, "-", "-", "aliases expand to more than 100,000 values"),
    "long-name": (4, "pilot", "name", "at most 300 characters"),
}

# Rates files (rates-*.yaml), read with a valid services file.
RATES_EXPECTED = {
    "rates-impossible-date": (4, "sets[0]", "date", "2021-02-29 is not a real date"),
    "rates-year-zero": (4, "sets[0]", "date", "0000-01-01 is not a real date (year 0"),
    "rates-tiny-rate": (8, "sets[0]", "rates", "USD: 1E-400 is beyond what cmhcost computes"),
    "rates-set-tag": (8, "sets[0]", "rates", "unsupported YAML tag '!!set'"),
}


def test_every_invalid_fixture_has_an_expected_message() -> None:
    assert {p.stem for p in INVALID.glob("*.yaml")} == set(EXPECTED) | set(RATES_EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_is_reported_at_its_line(name: str) -> None:
    line, record, field, message = EXPECTED[name]
    path = INVALID / f"{name}.yaml"
    with pytest.raises(DatasetError) as caught:
        load_services([path])
    matching = [
        p
        for p in caught.value.problems
        if (p.file, p.line, p.record, p.field) == (str(path), line, record, field)
        and message in p.message
    ]
    assert matching, "\n".join(map(str, caught.value.problems))


@pytest.mark.parametrize("name", sorted(RATES_EXPECTED))
def test_invalid_rates_file_is_reported_at_its_line(name: str) -> None:
    line, record, field, message = RATES_EXPECTED[name]
    path = INVALID / f"{name}.yaml"
    with pytest.raises(DatasetError) as caught:
        load_rates(path)
    located = [
        p
        for p in caught.value.problems
        if (p.file, p.line, p.record, p.field) == (str(path), line, record, field)
    ]
    assert any(message in p.message for p in located), "\n".join(map(str, caught.value.problems))


@pytest.mark.parametrize("name", sorted(EXPECTED) + sorted(RATES_EXPECTED))
def test_the_cli_reports_each_bad_file_with_exit_1_and_its_line(
    runner: CliRunner, name: str
) -> None:
    path = INVALID / f"{name}.yaml"
    if name in RATES_EXPECTED:
        line, record, field, message = RATES_EXPECTED[name]
        args = ["validate", str(FIXTURES / "valid" / "pilot-minimal.yaml"), "--rates", str(path)]
    else:
        line, record, field, message = EXPECTED[name]
        args = ["validate", str(path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and result.stdout == ""
    located = f"{path}:{line}: {record}: {field}: "
    assert any(row.startswith(located) and message in row for row in result.stderr.splitlines()), (
        result.stderr
    )


def test_a_file_without_a_size_is_read_up_to_the_limit(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cmhcost.loading.reader

    monkeypatch.setattr(cmhcost.loading.reader, "MAX_BYTES", 1000)
    result = runner.invoke(app, ["validate", "/dev/zero"])
    assert result.exit_code == 1, result.output
    assert "/dev/zero:1: -: -: file is larger than 1,000 bytes" in result.stderr


@pytest.mark.parametrize("amount", ["1e30", "1e15", "0.0000001", "1.23456789012345", "5-1e30"])
def test_convert_refuses_a_number_beyond_the_bounds_as_usage(
    runner: CliRunner, amount: str
) -> None:
    rates = str(FIXTURES / "valid" / "rates.yaml")
    result = runner.invoke(app, ["convert", amount, "GBP", "--to", "USD", "--rates", rates])
    assert result.exit_code == 2, result.output
    assert "beyond what cmhcost computes exactly" in result.stderr


def test_the_bounds_hold_the_largest_and_smallest_numbers_allowed() -> None:
    # 14 significant digits below 1e15, and 1e-6 itself, are read as written.
    assert check_number(Decimal("99999999999999E+1")) == Decimal("999999999999990")
    assert check_number(Decimal("0.000001")) == Decimal("0.000001")
    assert check_number(Decimal("0")) == 0
    for beyond in ("1e15", "-1e15", "0.00000099", "1.23456789012345", "1e999999999"):
        with pytest.raises(ValueError, match="beyond what cmhcost computes exactly"):
            check_number(Decimal(beyond))


def test_all_problems_are_reported_in_one_pass() -> None:
    text = (FIXTURES / "valid" / "pilot-minimal.yaml").read_text()
    text = text.replace("country: KE", "country: NO").replace("amount: 5000", "amount: -1")
    text = text.replace("category: crisis", "category: respite")
    with pytest.raises(DatasetError) as caught:
        parse_services(text, "pilot.yaml")
    fields = {p.field for p in caught.value.problems}
    assert fields == {"country", "category", "figures[0].amount"}
    assert str(caught.value).startswith("pilot.yaml:")


def test_floats_are_read_as_exact_decimals() -> None:
    text = (FIXTURES / "valid" / "pilot-minimal.yaml").read_text().replace("5000", "69.50", 1)
    figure = parse_services(text).services["pilot"].figures[0]
    assert figure.amount.low == Decimal("69.50")


def test_a_later_file_overrides_a_record_by_id(tmp_path: Path) -> None:
    base = (FIXTURES / "valid" / "pilot-minimal.yaml").read_text()
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(base.replace("amount: 5000", "amount: 4000"))
    data = load_services([FIXTURES / "valid" / "pilot-minimal.yaml", overlay])
    assert data.services["pilot"].figures[0].amount.low == 4000
    assert data.origins["pilot"].file == str(overlay)


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="nowhere.yaml:1: -: -: No such file"):
        load_services([tmp_path / "nowhere.yaml"])


def test_rates_keep_their_decimal_text() -> None:
    rates = parse_rates(
        "version: 1\nsets:\n  - {date: 2021-02-01, base: EUR, source: s, method: m, rates: {USD: '1.2084'}}\n"
    )
    assert str(rates.sets[0].rates["USD"]) == "1.2084"


def test_a_bad_rate_names_its_set_and_line() -> None:
    text = "version: 1\nsets:\n  - date: 2021-02-01\n    base: EUR\n    source: s\n    method: m\n    rates: {USD: -1}\n"
    with pytest.raises(DatasetError, match=r"rates.yaml:7: sets\[0\]: rates: USD: a rate must be"):
        parse_rates(text, "rates.yaml")


def test_an_absurdly_large_file_is_refused_before_it_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import cmhcost.loading.reader

    path = FIXTURES / "valid" / "services.yaml"
    monkeypatch.setattr(cmhcost.loading.reader, "MAX_BYTES", path.stat().st_size - 1)
    with pytest.raises(DatasetError, match=r"services.yaml:1: -: -: file is larger than"):
        load_services([path])


def test_a_huge_value_is_not_echoed_whole_in_its_message() -> None:
    text = (FIXTURES / "valid" / "pilot-minimal.yaml").read_text()
    text = text.replace("currency: KES", "currency: " + "X" * 100_000)
    with pytest.raises(DatasetError) as caught:
        parse_services(text, "pilot.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (12, "figures[0].currency")
    assert len(problem.message) == 500 and problem.message.endswith("…")


def test_the_largest_numbers_allowed_are_computed_and_printed(
    runner: CliRunner, tmp_path: Path
) -> None:
    # A baseline 99 999 999 999 999 times a cost of 99 999 999 999 999 IDR per bed-night: both
    # within the bounds, their product (about 1e28 a day) beyond what quantize keeps by default.
    text = (INVALID / "zero-baseline-times.yaml").read_text()
    text = text.replace("KES", "IDR").replace("amount: 5000", "amount: 99999999999999")
    path = tmp_path / "large.yaml"
    path.write_text(text.replace("value: 0", "value: 99999999999999"))
    result = runner.invoke(
        app,
        [
            "compare",
            "--no-shipped-data",
            "--data",
            str(path),
            "--currency",
            "IDR",
            "--per",
            "year",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)["rows"]
    # 99 999 999 999 999 x 365.25 days = 36 524 999 999 999 634.75
    assert row["cost"]["low"] == "36524999999999634.75"
