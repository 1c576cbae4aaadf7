"""Exports describe themselves: read back with csv and json, a row checked against the source text."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.money import Range
from cmhcost.report.table import BAR_KEY, amounts, ratio_bar
from tests.conftest import SEEDS

COLUMNS = (
    "record", "id", "category", "country", "figure", "baseline_id", "unit", "period", "currency",
    "cost_low", "cost_high", "baseline_low", "baseline_high", "cost_native_low",
    "cost_native_currency", "cost_price_year", "cost_rate", "cost_rate_date", "cost_rate_source",
    "baseline_native_low", "baseline_native_currency", "baseline_rate", "ratio_low", "ratio_high",
    "difference_low", "saving_pct_low", "flags", "source_document", "source_lines", "reason",
)  # fmt: skip


def quoted_lines(document: str, first: int, last: int) -> str:
    """The source document's lines, or the data's own quote when the documents are not here."""
    path = SEEDS / document
    if not path.exists():
        return ""
    return " ".join(path.read_text(encoding="utf-8").splitlines()[first - 1 : last])


def test_the_csv_reads_back_and_a_row_matches_the_text(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert set(COLUMNS) <= set(rows[0])
    tupu = next(r for r in rows if r["id"] == "tupu-ake")
    # Line 2664 of the guidance: "funded at a rate of NZ$ 297 (US$ 213) per bed per night".
    assert (tupu["cost_native_low"], tupu["cost_native_currency"]) == ("297", "NZD")
    assert (tupu["source_document"], tupu["source_lines"]) == (
        "002_b29c8c4125090c1c.txt",
        "2664-2664",
    )
    text = quoted_lines("002_b29c8c4125090c1c.txt", 2664, 2664)
    assert text == "" or "NZ$ 297" in text
    # 297 NZD at the February 2021 rate the row names: 297 x 0.717407 = 213.07 USD a day.
    rate = Decimal(tupu["cost_rate"])
    assert (
        tupu["cost_rate_date"] == "2021-02-01"
        and "European Central Bank" in tupu["cost_rate_source"]
    )
    assert Decimal(tupu["cost_low"]) == round(297 * rate, 2) == Decimal("213.07")
    assert (tupu["unit"], tupu["period"], tupu["currency"]) == ("person-day", "day", "USD")
    # Ratio from the native amounts: 297 / 1000 = 0.2970; difference 213.07 - 724.82.
    assert tupu["ratio_low"] == "0.2970" and tupu["saving_pct_low"] == "70.30"
    assert Decimal(tupu["difference_low"]) == Decimal(tupu["cost_low"]) - Decimal(
        tupu["baseline_low"]
    )
    assert "kind payment" in tupu["flags"]
    # What is not compared follows, in the same columns, with its reason.
    skipped = [r for r in rows if r["record"] == "not_compared"]
    assert rows.index(skipped[0]) == len(rows) - len(skipped)
    learning = next(r for r in skipped if r["figure"] == "alternatives-learning-disabilities")
    assert "net cost" in learning["reason"] and learning["id"] == "shared-lives-south-east-wales"


def test_the_json_gives_each_conversion_as_fields(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--format", "json", "--per", "month"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    caps = next(r for r in rows if r["id"] == "caps-iii-brasilandia")
    # R$ 1100 per user per month (line 4251) stays per month; R$ 1200-2400 a day becomes a month.
    assert caps["native"]["cost"]["amount"] == {"low": "1100", "high": "1100"}
    assert caps["native"]["cost"]["lines"] == [4251, 4251]
    assert "R$ 1100" in quoted_lines("002_b29c8c4125090c1c.txt", 4251, 4251) or not SEEDS.exists()
    steps = caps["conversions"]
    assert [(s["side"], s["kind"], s["from"], s["to"]) for s in steps] == [
        ("cost", "currency", "BRL", "USD"),
        ("baseline", "period", "person-day", "person-month"),
        ("baseline", "currency", "BRL", "USD"),
    ]
    # x 365.25 / 12 = 30.4375 days a month; the rate of 2021-02-01 for both sides.
    assert Decimal(steps[1]["factor"]) == Decimal("30.4375")
    assert steps[0]["rate_date"] == steps[2]["rate_date"] == "2021-02-01"
    rate = Decimal(steps[0]["factor"])
    assert caps["cost"]["low"] == f"{1100 * rate:.2f}"
    assert caps["baseline"]["low"] == f"{1200 * Decimal('30.4375') * rate:.2f}"
    assert caps["caveats"] and caps["flags"] and caps["sources"][0]["lines"] == [4251, 4251]


def test_the_ratio_bar_marks_parity_and_states_its_scale() -> None:
    # Ten cells from 0 to 2, parity between the fifth and the sixth.
    assert ratio_bar(Range.of("0.4")).plain == "██···│····· "
    assert ratio_bar(Range.of("0.6", "1.4")).plain == "███▒▒│▒▒··· "
    assert ratio_bar(Range.of("1", "2.5")).plain == "█████│▒▒▒▒▒▸"
    assert "0 to 2" in BAR_KEY and "parity (1.0)" in BAR_KEY


def test_a_range_keeps_one_precision() -> None:
    # 12.11-119.23: whole units at both ends once the larger reaches 100.
    assert amounts(Range.of("12.11", "119.23")) == "12–119"
    assert amounts(Range.of("6.6", "44.1")) == "6.60–44.10"


@pytest.mark.parametrize("width", ["60", "100", "300"])
def test_notes_and_flags_are_readable_at_any_width(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, width: str
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    result = runner.invoke(app, ["compare", "--country", "IT"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "\x1b[" not in result.stdout  # NO_COLOR (set for every test) and not a terminal
    # Every flag of the Trieste row, in full, under the table, and every mark in the row.
    # Trieste carries six flags (the service's, three of its 2018 total and one of each quote of
    # the 37%): each in full under the table, each mark in the row.
    assert "F1. flag (the data's note on the source): The guidance says the CMHCs offer" in out
    assert "The same 37% is kept as printed in both." in out
    assert all(f" F{i}. flag" in out for i in range(1, 7)) and " F7. flag" not in out
    assert out.count("F6") == 2
