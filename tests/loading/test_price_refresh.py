"""`cmhcost prices update`: a World Bank table into the user's data directory, or nothing at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import responses
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.loading.paths import user_data_dir
from cmhcost.loading.price_tables import shipped_tables

CPI_URL = "https://api.worldbank.org/v2/country/all/indicator/FP.CPI.TOTL.ZG"
DEFLATOR_URL = "https://api.worldbank.org/v2/country/all/indicator/NY.GDP.DEFL.KD.ZG"


def reply(*values: tuple[str, str, float | None]) -> str:
    """A reply of the API: a page header, then one record per (iso3, year, value)."""
    meta = {
        "page": 1,
        "pages": 1,
        "per_page": 20000,
        "total": len(values),
        "lastupdated": "2026-07-01",
    }
    records = [
        {"countryiso3code": iso3, "date": year, "value": value, "indicator": {"id": "x"}}
        for iso3, year, value in values
    ]
    return json.dumps([meta, records])


@responses.activate
def test_a_cpi_update_lies_over_the_shipped_table(runner: CliRunner) -> None:
    body = reply(("IND", "2025", 3.1234567), ("AFE", "2025", 4.0), ("PER", "2025", None))
    responses.get(CPI_URL, body=body)
    result = runner.invoke(app, ["prices", "update", "cpi"])
    assert result.exit_code == 0, result.output
    written = (user_data_dir() / "cpi.csv").read_text(encoding="utf-8")
    assert "IN,2025,3.1234567\n" in written and "# vintage: 2026-07-01" in written
    assert "AFE" not in written and "PE," not in written  # a region; an empty value
    cpi = shipped_tables().cpi
    assert cpi.values["IN"][2025] == "3.1234567"  # the user's year
    assert cpi.values["IN"][2024] == "4.95303550973656"  # the shipped years remain
    assert cpi.vintage == "2026-07-01" and "prices update" in cpi.source
    (call,) = responses.calls
    assert "format=json" in (call.request.url or "")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": 500, "body": "oops"}, "answered 500"),
        ({"body": "<html>"}, "not JSON"),
        ({"body": json.dumps([{"message": [{"value": "Invalid"}]}])}, "not a table of values"),
        ({"body": reply()}, "no values"),
        ({"body": reply(("IND", "2025", "n/a"))}, "'n/a' for IN 2025"),  # type: ignore[arg-type]
        ({"body": requests.ConnectTimeout("slow")}, "did not answer within 2 s"),
    ],
)
@responses.activate
def test_a_bad_reply_writes_nothing(
    runner: CliRunner, answer: dict[str, object], message: str
) -> None:
    responses.get(CPI_URL, **answer)  # type: ignore[arg-type]
    result = runner.invoke(app, ["prices", "update", "cpi", "--timeout", "2"])
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (user_data_dir() / "cpi.csv").exists()


@responses.activate
def test_a_fetched_deflator_is_an_index_for_every_country(runner: CliRunner) -> None:
    values = [("IND", str(y), v) for y, v in ((2021, 8.0), (2022, 6.0), (2023, 2.0), (2024, 3.0))]
    responses.get(DEFLATOR_URL, body=reply(*values))
    assert runner.invoke(app, ["prices", "update", "deflator"]).exit_code == 0
    deflator = str(user_data_dir() / "deflator.csv")
    args = ["convert", "107", "INR", "--price-year", "2021", "--to", "I$", "--target-year", "2024"]
    result = runner.invoke(app, [*args, "--index", deflator, "--format", "json"])
    assert result.exit_code == 0, result.output
    # India's deflator 2022-2024 by hand: 1.06 x 1.02 x 1.03 = 1.113636
    assert json.loads(result.stdout)["inflation_factor"] == "1.113636"


def test_the_timeout_reaches_requests(monkeypatch: pytest.MonkeyPatch, runner: CliRunner) -> None:
    seen: dict[str, object] = {}

    def get(url: str, **kwargs: object) -> None:
        seen.update(kwargs)
        raise requests.ReadTimeout("slow")

    monkeypatch.setattr(requests, "get", get)
    result = runner.invoke(app, ["prices", "update", "ppp", "--timeout", "3.5"])
    assert result.exit_code == 1 and "within 3.5 s" in result.stderr
    assert seen["timeout"] == 3.5
    assert not Path(user_data_dir() / "ppp.csv").exists()
