"""Shared fixtures: a fixed console width, inline YAML helpers, a fake rate table."""

from __future__ import annotations

import functools
import importlib
import os
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer.main
import typer.testing
from hypothesis import settings
from typer.testing import CliRunner

import cmhcost.cli  # installs the command line's hints in core messages, as users see them
from cmhcost.conversion.exchange import RateTable
from cmhcost.schema.rates import RateSet

# In CI (CI=true) property tests draw the same examples on every run, so a failure reproduces.
# No deadline in either: on a shared two-core machine a slow example is load, not a failure.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("true", "1") else "dev")


@functools.cache
def _cmhcost_command() -> Any:
    return typer.main.get_command(cmhcost.cli.app)


def _command_of(app: typer.Typer) -> Any:
    """cmhcost's command tree, built once as `cmhcost` builds it once per run; typer's CliRunner
    builds it again at every invoke (a tenth of the suite's time), any other app as it does."""
    return _cmhcost_command() if app is cmhcost.cli.app else typer.main.get_command(app)


typer.testing._get_command = _command_of  # type: ignore[attr-defined]

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def optional(module: str, extra: str) -> ModuleType:
    """A test tool from an optional extra: without it the test is skipped, and fails under CI."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs {module}: pip install -e '.[{extra}]'")
        pytest.skip(f"no {module}: pip install -e '.[{extra}]' (CI installs it)")


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))  # the user's rates layer
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    yield


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def rate_set(day: str, base: str = "EUR", **rates: str) -> RateSet:
    """A rate set for tests: units of each currency per one `base`."""
    return RateSet(
        date=date.fromisoformat(day),
        base=base,
        source=f"test rates {day}",
        method="fixed for tests",
        rates={code: Decimal(value) for code, value in rates.items()},
    )


@pytest.fixture
def fake_rates() -> RateTable:
    """Round-number rates on two dates, and a USD-based set for a currency the ECB lacks."""
    return RateTable(
        [
            rate_set("2021-02-01", USD="1.2", GBP="0.8", NZD="1.6"),
            rate_set("2021-03-01", USD="1.25", GBP="0.85", NZD="1.7"),
            rate_set("2021-02-01", base="USD", GEL="3.3"),
        ]
    )


# The golden drawings are matplotlib 3.11's bytes; another matplotlib (3.10 is the last for Python
# 3.10) places the same elements a fraction of a point apart and names clip paths otherwise.
GOLDEN_MATPLOTLIB = "3.11."
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
_REFERENCE = re.compile(rb'(?:id="|url\(#|xlink:href="#)[^")]*')


def same_drawing(drawn: bytes, golden: bytes) -> bool:
    """The same bytes under the golden's matplotlib; elsewhere the same elements, text and style."""
    import matplotlib

    if matplotlib.__version__.startswith(GOLDEN_MATPLOTLIB):
        return drawn == golden

    def shape(svg: bytes) -> bytes:
        return _NUMBER.sub(b"N", _REFERENCE.sub(b"REF", svg))

    return shape(drawn) == shape(golden)
