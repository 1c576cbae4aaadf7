"""ISO codes: pycountry's tables, read from its package data or, failing that, through its API."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from cmhcost.domain import codes


def test_the_tables_read_are_pycountrys() -> None:
    assert codes.iso_codes("4217", "alpha_3") == {c.alpha_3 for c in pycountry.currencies}
    assert codes.iso_codes("3166-1", "alpha_2") == {c.alpha_2 for c in pycountry.countries}
    assert {"USD", "EUR", "INR", "KES"} <= codes.iso_codes("4217", "alpha_3")
    assert "US$" not in codes.iso_codes("4217", "alpha_3")


def test_the_api_answers_when_the_package_data_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(codes, "_package_data", lambda package: tmp_path)  # no databases/ here
    assert codes.iso_codes("4217", "alpha_3") == {c.alpha_3 for c in pycountry.currencies}
    assert codes.iso_codes("3166-1", "alpha_2") == {c.alpha_2 for c in pycountry.countries}


def test_a_package_that_is_not_installed_has_no_data() -> None:
    with pytest.raises(FileNotFoundError):
        codes._package_data("no_such_package_here")
