"""Property-based: generated and mutated YAML never yields a traceback, nor exit 0 on invalid data."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.dataset import parse_services
from cmhcost.errors import DatasetError
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
