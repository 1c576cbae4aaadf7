"""US-dollar figures from other countries go through their own prices (Turner et al. 2019)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app

PPP_2024 = ["--format", "json", "--currency", "I$", "--price-year", "2024"]

# World Bank tables shipped in data/: India's CPI (FP.CPI.TOTL.ZG) 2021-2024 and PPP (PA.NUS.PPP)
IN_CPI = [
    Decimal(p)
    for p in ("5.13140747176369", "6.69903414079852", "5.64914318907925", "4.95303550973656")
]
IN_PPP_2024 = Decimal("20.4219876045922")  # rupees per international dollar
PE_CPI = [Decimal(p) for p in ("8.33370630096231", "6.45561348369586", "2.00770739412712")]
PE_PPP_2024 = Decimal("1.78230274124247")  # soles per international dollar
# ECB 2021-02-01: 88.345 INR and 1.2084 USD per EUR, so 73.1091 rupees per US dollar
INR_PER_USD_FEB_2021 = Decimal("88.345") / Decimal("1.2084")
# The only PEN rate stored: implied by the guidance, PEN 350 000 000 = US$ 94 800 000 (2021-03)
PEN_PER_USD = Decimal("3.691983")


def growth(pcts: list[Decimal]) -> Decimal:
    factor = Decimal(1)
    for pct in pcts:
        factor *= 1 + pct / 100
    return factor


def rows(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["compare", *args])
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["rows"])


def row(found: list[dict[str, Any]], record: str, figure: str) -> dict[str, Any]:
    return next(r for r in found if r["id"] == record and r["figure"] == figure)


def test_naya_daur_two_figures_agree_in_international_dollars(runner: CliRunner) -> None:
    found = rows(runner, *PPP_2024, "--country", "IN")
    day = Decimal(row(found, "naya-daur", "cost-per-day")["cost"]["low"])
    month = Decimal(row(found, "naya-daur", "cost-per-month")["cost"]["low"])
    # INR 107 a day of 2021: x India's CPI 2022-2024 (1.183100) / 20.42199 = I$ 6.20 a day.
    by_hand_day = Decimal(107) * growth(IN_CPI[1:]) / IN_PPP_2024
    # US$ 45 a month of 2020: x 73.10907 rupees per dollar (February 2021) = INR 3289.91 a month,
    # / 30.4375 days = INR 108.09 a day, x India's CPI 2021-2024 (1.243810) / 20.42199 = I$ 6.58.
    by_hand_month = (
        Decimal(45) * INR_PER_USD_FEB_2021 / (Decimal("365.25") / 12) * growth(IN_CPI) / IN_PPP_2024
    )
    assert day == round(by_hand_day, 2) == Decimal("6.20")
    assert month == round(by_hand_month, 2) == Decimal("6.58")
    assert abs(month / day - 1) < Decimal("0.20")  # 6.58 / 6.20 = 1.062
    notes = row(found, "naya-daur", "cost-per-month")["notes"]
    assert any(n.startswith("USD back to INR at 73.1091 INR per USD") for n in notes)


def test_peru_us_12_consultation_is_taken_through_soles(runner: CliRunner) -> None:
    found = rows(runner, *PPP_2024, "--country", "PE")
    peru = row(found, "peru-outpatient-consultations", "cost-per-consultation")
    # US$ 12 x 3.691983 soles = PEN 44.30 of 2021, x Peru's CPI 2022-2024 (1.176355) / 1.782303
    by_hand = Decimal(12) * PEN_PER_USD * growth(PE_CPI) / PE_PPP_2024
    assert Decimal(peru["cost"]["low"]) == round(by_hand, 2) == Decimal("29.24")
    assert peru["adjustment"]["cost"]["country"] == "PE"
    assert any("USD back to PEN" in n for n in peru["notes"])
    # Both sides go the same way, so the ratio is the text's own: 12 / 59.
    assert Decimal(peru["ratio"]["low"]) == round(Decimal(12) / 59, 4)


def test_the_issuer_route_keeps_us_prices_when_asked(runner: CliRunner) -> None:
    found = rows(runner, *PPP_2024, "--country", "PE", "--foreign-currency", "issuer")
    peru = row(found, "peru-outpatient-consultations", "cost-per-consultation")
    # US$ 12 of 2021 x US CPI 2022-2024 (8.0028 %, 4.1163 %, 2.9495 %) at US PPP 1
    assert peru["adjustment"]["cost"]["country"] == "US"
    assert not any("back to" in n for n in peru["notes"])
    assert Decimal(peru["cost"]["low"]) < Decimal("15")


@pytest.mark.parametrize("route", ["local", "issuer"])
def test_convert_honours_the_country_of_a_dollar_amount(runner: CliRunner, route: str) -> None:
    result = runner.invoke(
        app,
        ["convert", "45", "USD", "--to", "I$", "--country", "IN", "--price-year", "2020"]
        + ["--target-year", "2024", "--format", "json", "--foreign-currency", route],
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["currency"], record["to"]) == ("USD", "I$")
    if route == "local":
        assert record["country"] == "IN" and record["back_to_local"]["currency"] == "INR"
        assert record["ppp"] == "20.4219876045922"
    else:
        assert record["country"] == "US" and record["back_to_local"] is None
