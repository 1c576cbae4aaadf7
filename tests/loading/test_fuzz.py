"""Property-based: generated and mutated YAML never yields a traceback, nor exit 0 on invalid data."""

from __future__ import annotations

import calendar
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import DatasetError
from cmhcost.loading.reader import parse_rates, parse_services
from tests.conftest import FIXTURES

VALID = (FIXTURES / "valid" / "pilot-minimal.yaml").read_text()
LINES = VALID.splitlines(keepends=True)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=12), st.sampled_from(["NO", "yes", "off", "012", ".inf", "~", "1e999", "-0", "[", "{", ":", "&a", "*a", "!!python/none"]),
)  # fmt: skip
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The valid file with one line replaced, deleted, duplicated or garbled."""
    lines = list(LINES)
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["replace", "delete", "duplicate", "truncate", "value"]))
    if action == "replace":
        lines[index] = draw(st.text(max_size=30)) + "\n"
    elif action == "delete":
        del lines[index]
    elif action == "duplicate":
        lines.insert(index, lines[index])
    elif action == "truncate":
        lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
    else:
        key = lines[index].split(":")[0]
        lines[index] = (
            f"{key}: {yaml.safe_dump(draw(scalars), default_flow_style=True).splitlines()[0]}\n"
        )
    return "".join(lines)


def parses_or_reports(text: str) -> bool:
    """True when the text is valid; a DatasetError with located problems is the only other outcome."""
    try:
        parse_services(text, "fuzz.yaml")
    except DatasetError as exc:
        assert exc.problems, "a DatasetError always names at least one problem"
        assert all(str(p).startswith("fuzz.yaml:") for p in exc.problems)
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_mutated_files_parse_or_are_reported(text: str) -> None:
    parses_or_reports(text)


@settings(max_examples=200, deadline=None)
@given(documents)
def test_arbitrary_documents_parse_or_are_reported(document: object) -> None:
    parses_or_reports(yaml.safe_dump(document))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutated())
def test_the_cli_never_shows_a_traceback(tmp_path: Path, text: str) -> None:
    path = tmp_path / "pilot.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    valid = parses_or_reports(text)
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if not valid:
        assert result.exit_code == 1


RATES = (FIXTURES / "valid" / "rates.yaml").read_text()


@st.composite
def calendar_dates(draw: st.DrawFn) -> tuple[str, bool]:
    """A YYYY-MM-DD text and whether it is a real date that cmhcost accepts (1950-2100)."""
    year = draw(st.integers(0, 9999))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31))
    real = year >= 1 and day <= calendar.monthrange(max(year, 1), month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}", real and 1950 <= year <= 2100


@settings(max_examples=150, deadline=None)
@given(calendar_dates())
def test_a_rate_date_is_a_real_date_in_range_or_a_located_problem(drawn: tuple[str, bool]) -> None:
    text, accepted = drawn
    rates = RATES.replace("date: 2021-02-01", f"date: {text}", 1)
    try:
        parsed = parse_rates(rates, "rates.yaml")
    except DatasetError as exc:
        assert not accepted, str(exc)
        assert [(p.line, p.field) for p in exc.problems] == [(4, "date")], str(exc)
    else:
        assert accepted and parsed.sets[0].date.isoformat() == text


@settings(max_examples=100, deadline=None)
@given(calendar_dates(), st.booleans())
def test_a_date_where_text_is_meant_must_be_quoted(drawn: tuple[str, bool], quoted: bool) -> None:
    text = f'"{drawn[0]}"' if quoted else drawn[0]
    pilot = VALID.replace("place: Nairobi", f"place: {text}", 1)
    try:
        parse_services(pilot, "pilot.yaml")
    except DatasetError as exc:
        assert not quoted, str(exc)
        assert [(p.line, p.field) for p in exc.problems] == [(5, "place")], str(exc)
        assert "quotes" in exc.problems[0].message
    else:
        assert quoted


def nested(depth: int, shape: str) -> tuple[str, int]:
    """A value nested `depth` collections deep, and the level of its deepest node (root is 0)."""
    if shape == "list":
        return "[" * depth + "]" * depth, depth  # `notes` itself is level 1
    if shape == "map":
        return "{a: " * depth + "1" + "}" * depth, depth + 1  # the scalar one level further
    return "".join(f"\n{'  ' * (level + 1)}a:" for level in range(depth)) + " 1", depth + 1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 1200), st.sampled_from(["list", "map", "block"]))
@example(32, "list")
@example(33, "list")
@example(31, "map")
@example(32, "block")
def test_nesting_beyond_the_limit_is_a_located_problem(depth: int, shape: str) -> None:
    value, deepest = nested(depth, shape)
    with pytest.raises(DatasetError) as caught:
        parse_services(VALID + f"notes: {value}\n", "pilot.yaml")
    messages = " ".join(p.message for p in caught.value.problems)
    if deepest > 32:  # libyaml itself stops at its own limit of 1000
        assert "nested deeper than 32 levels" in messages or "maximum nesting depth" in messages
    else:
        assert "unknown top-level key" in messages and "nested" not in messages


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A number as YAML text (plain, exponent, float form) and its exact value."""
    mantissa = draw(st.integers(1, 10**20))
    exponent = draw(st.integers(-40, 40))
    value = Decimal(mantissa).scaleb(exponent)
    form = draw(st.sampled_from(["{m}e{e}", "{m}.0e{e:+d}", "'{m}E{e}'"]))
    return form.format(m=mantissa, e=exponent), value


@settings(max_examples=200, deadline=None)
@given(written_numbers())
def test_numbers_beyond_the_bounds_are_located_problems(drawn: tuple[str, Decimal]) -> None:
    text, value = drawn
    mantissa = text.strip("'").split("e")[0].split("E")[0].split(".")[0]
    digits = len(mantissa.rstrip("0"))
    # The documented bounds: 1e-6 <= value < 1e15 and at most 14 significant digits.
    within = Decimal("1e-6") <= value < Decimal("1e15") and digits <= 14
    pilot = VALID.replace("amount: 5000", f"amount: {text}", 1)
    try:
        figure = parse_services(pilot, "pilot.yaml").services["pilot"].figures[0]
    except DatasetError as exc:
        assert not within, str(exc)
        assert [(p.line, p.field) for p in exc.problems] == [(11, "figures[0].amount")]
        assert "beyond what cmhcost computes exactly" in exc.problems[0].message
    else:
        assert within and figure.amount.low == value
