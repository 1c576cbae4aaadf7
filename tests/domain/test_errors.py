"""Core messages say what is missing; only the command line names its options and commands."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from cmhcost.conversion.prices import home_country
from cmhcost.domain import errors
from cmhcost.domain.errors import PriceUsageError, RateNotFoundError

SRC = Path(__file__).resolve().parents[2] / "src" / "cmhcost"
CORE = ("domain", "schema", "loading", "conversion", "engine")


def test_without_the_command_line_a_message_names_no_option(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(errors, "OPTION_NAMES", {})
    monkeypatch.setattr(errors, "RATE_REMEDIES", [])
    missing = RateNotFoundError("KES", date(2021, 2, 28), [])
    assert str(missing) == "no KES rate on or shortly before 2021-02-28: no rate for KES is stored"
    with pytest.raises(PriceUsageError, match=r"name the target country$"):
        home_country("EUR", "target country")


def test_the_command_line_adds_its_options_and_commands() -> None:
    missing = RateNotFoundError("KES", date(2021, 2, 28), [])
    assert str(missing).endswith(
        'add one with: cmhcost rates add RATE KES --per USD --date 2021-02-28 --source "..."'
    )
    with pytest.raises(PriceUsageError, match=r"name the target country \(--to-country\)$"):
        home_country("EUR", "target country")


def test_no_core_module_names_a_command_line_option() -> None:
    option = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for package in CORE
        for path in sorted((SRC / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if option.search(line)
    ]
    assert found == []
