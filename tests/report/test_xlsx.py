"""Workbooks: the pilot's live formulas recompute to what `cmhcost pilot --format json` prints."""

from __future__ import annotations

import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from tests.conftest import FIXTURES, optional

EXAMPLES = Path(__file__).parents[2] / "examples"
BRAZIL = EXAMPLES / "brazil-peer-crisis-respite.yaml"
INDIA = EXAMPLES / "india-supported-housing.yaml"


def workbook(runner: CliRunner, path: Path, *args: str) -> Path:
    result = runner.invoke(app, [*args, "--format", "xlsx", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path


def evaluate(path: Path, changes: dict[str, float] | None = None) -> dict[str, tuple[Any, Any]]:
    """Recalculate the workbook as Excel would; the calculation sheet's rows by label: (low, high)."""
    formulas = optional("formulas", "test-workbook")
    model = formulas.ExcelModel().loads(str(path)).finish()
    book = f"'[{path.name}]"
    inputs = {f"{book}INPUTS'!{cell}": value for cell, value in (changes or {}).items()}
    solution = model.calculate(inputs=inputs)

    def cell(ref: str) -> Any:
        found = solution.get(f"{book}CALCULATION'!{ref}")
        return None if found is None else found.value[0][0]

    rows: dict[str, tuple[Any, Any]] = {}
    for n in range(1, 120):
        label = cell(f"A{n}")
        if isinstance(label, str) and label not in rows and cell(f"B{n}") != "low":  # not a heading
            rows[label] = (cell(f"B{n}"), cell(f"C{n}"))
    return rows


def places(value: float, text: str) -> str:
    """A computed number rounded half-up to the places of the JSON's string."""
    exponent = Decimal(text).as_tuple().exponent
    assert isinstance(exponent, int)
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP))


def pilot_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["pilot", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    pilots: list[dict[str, Any]] = json.loads(result.stdout)["pilots"]
    return pilots[0]


@pytest.mark.parametrize(
    ("pilot", "extra"),
    [(BRAZIL, []), (BRAZIL, ["--currency", "USD"]), (INDIA, []), (INDIA, ["--currency", "EUR"])],
)
def test_the_formulas_recompute_to_the_json(
    runner: CliRunner, tmp_path: Path, pilot: Path, extra: list[str]
) -> None:
    expected = pilot_json(runner, str(pilot), *extra)
    rows = evaluate(workbook(runner, tmp_path / "pilot.xlsx", "pilot", str(pilot), *extra))
    baseline = expected["baselines"][0]
    pairs = {
        "Unit cost, shown": expected["cost"],
        f"Baseline per {expected['unit']}": baseline["cost"],
        "Ratio": baseline["ratio"],
        f"Saving per {expected['unit']}": baseline["saving_per_unit"],
        "Saving %": baseline["saving_pct"],
        "Break-even budget, shown": expected["break_even_budget"],
        "Annual saving, shown": expected["annual_saving"],
    }
    if expected["break_even_occupancy"] is not None:
        pairs["Break-even occupancy"] = expected["break_even_occupancy"]
        pairs["Budget-neutral occupancy"] = expected["budget_neutral"]["occupancy"]
    pairs["Net annual saving, shown"] = expected["net_annual_saving"]
    pairs["Break-even substitution"] = expected["budget_neutral"]["substitution"]
    if "--currency" not in extra:  # the cash flow is in the pilot's own currency
        pairs["Net over the horizon, discounted"] = expected["cash_flow"]["discounted_net"]
        pairs["Year 0: capital"] = expected["cash_flow"]["by_year"][0]["capital"]
    for label, pair in pairs.items():
        low, high = rows[label]
        assert (places(low, pair["low"]), places(high, pair["high"])) == (
            pair["low"],
            pair["high"],
        ), label


def test_chennai_worked_by_hand(runner: CliRunner, tmp_path: Path) -> None:
    rows = evaluate(workbook(runner, tmp_path / "pilot.xlsx", "pilot", str(INDIA)))
    # Budget 2 200 000-2 600 000 + 720 000 + 1 080 000 = 4 000 000-4 400 000 INR for 30 residents.
    assert rows["Annual budget"] == pytest.approx((4_000_000, 4_400_000))
    # Capital: 600 000 over 7 years at 3%: 600 000 x 0.03 / (1 - 1.03^-7) = 96 303.81 a year.
    capital = 96_303.81
    assert rows["Capital a year"] == pytest.approx((capital, capital))
    assert rows["Annual cost"] == pytest.approx((4_000_000 + capital, 4_400_000 + capital))
    assert rows["Unit cost"] == pytest.approx(
        ((4_000_000 + capital) / 30, (4_400_000 + capital) / 30)
    )
    # The facility costs INR 29 245 a month of 2019: 29 245 x 12 = 350 940 a person-year, brought
    # to the pilot's 2025 by India's CPI: 1.0662344 x 1.0513141 x 1.0669903 x 1.0564914 x
    # 1.0495304 (2020-2024), and 2025 projected at the 2024 rate, x 1.0495304 again:
    # 1.3918795; 350 940 x 1.3918795 = 488 466.18.
    base = 488_466.18
    assert rows["Baseline per person-year"] == pytest.approx((base, base))
    low, high = (4_000_000 + capital) / 30, (4_400_000 + capital) / 30
    assert rows["Ratio"] == pytest.approx((low / base, high / base))
    # Break-even: 488 466.18 x 30 = 14 653 985.50 a year; saving (substitution 1, assumed)
    # 14 653 985.50 - 4 496 303.81 = 10 157 681.69 up to - 4 096 303.81 = 10 557 681.69.
    assert rows["Break-even budget"] == pytest.approx((14_653_985.50, 14_653_985.50))
    assert rows["Annual saving"] == pytest.approx((10_157_681.69, 10_557_681.69))


def test_a_planner_who_changes_occupancy_sees_the_results_move(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = workbook(runner, tmp_path / "pilot.xlsx", "pilot", str(BRAZIL))
    sheet = openpyxl.load_workbook(path)["Inputs"]
    occupancy = next(r for r in sheet.iter_rows() if r[0].value == "Occupancy")
    low, high = (c.coordinate for c in occupancy[1:3])
    rows = evaluate(path, {low: 0.75, high: 0.75})
    # 6 beds x 0.75 x 365.25 = 1 643.625 bed-nights; budget 1 430 000-1 630 000 BRL and
    # capital 35 169.15 + 13 101.27 = 48 270.43 a year (10 and 5 years at 3%).
    assert rows["Bed-nights a year"] == pytest.approx((1643.625, 1643.625))
    low, high = 1_478_270.43, 1_678_270.43
    assert rows["Unit cost"] == pytest.approx((low / 1643.625, high / 1643.625))
    # Against BRL 1 200-2 400 a day of 2020, at 2025 prices by Brazil's CPI: 1.0830166 x
    # 1.0928011 x 1.0459356 x 1.0436746 (2021-2024) x 1.0436746 (2025 projected at the 2024
    # rate) = 1.3483773: BRL 1 618.05-3 236.11. The low ratio is the low cost over the high one.
    base = (1618.0528, 3236.1056)
    ratio = (low / 1643.625 / base[1], high / 1643.625 / base[0])
    assert rows["Ratio"] == pytest.approx(ratio, rel=1e-6)


def test_the_inputs_are_labelled_with_unit_and_source(runner: CliRunner, tmp_path: Path) -> None:
    path = workbook(runner, tmp_path / "pilot.xlsx", "pilot", str(BRAZIL), "--currency", "USD")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Inputs", "Calculation", "Comparable services"]
    inputs = {r[0]: r for r in book["Inputs"].iter_rows(values_only=True) if r[0]}
    assert inputs["Premises: rent, utilities, maintenance"][1:4] == (180000, 180000, "BRL a year")
    assert inputs["Beds"][1:4] == (6, 6, "beds")
    hospital = inputs["Per day cost of hospitalization in a psychiatric hospital in Brazil"]
    assert hospital[1:4] == (1200, 2400, "BRL per person-day")
    assert "R$ 1200–R$ 2400" in hospital[4]
    assert hospital[4].startswith(
        "Guidance on community mental health services: promoting person-centred and rights-based "
        "approaches. Geneva: World Health Organization; 2021. Section "
    )
    assert "002_b29c8c4125090c1c.txt" not in hospital[4]  # the file is the machine's locator
    assert "ECB" in inputs["USD per BRL"][4] or "European Central Bank" in inputs["USD per BRL"][4]
    calculation = book["Calculation"]
    assert any(str(c.value).startswith("=") for row in calculation.iter_rows() for c in row)
    peers = [r[0] for r in book["Comparable services"].iter_rows(values_only=True) if r[0]]
    assert any(str(p).endswith("← this pilot") for p in peers)
    assert any(str(p).startswith("Tupu Ake") for p in peers)


def test_the_comparison_table_has_number_formats(runner: CliRunner, tmp_path: Path) -> None:
    data = [
        "--no-shipped-data",
        "--data",
        str(FIXTURES / "valid" / "forest.yaml"),
        "--rates",
        str(FIXTURES / "valid" / "rates.yaml"),
    ]
    path = workbook(runner, tmp_path / "compare.xlsx", "compare", *data)
    sheet = openpyxl.load_workbook(path)["Comparison"]
    header = [c.value for c in sheet[3]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=4)}
    assert len(rows) == 3
    alpha = rows['Alpha <House> & "Co"']
    ratio_low = alpha[header.index("Ratio low")]
    assert ratio_low.value == 0.25 and ratio_low.number_format == "0.0000"  # 50 / 200
    cost = alpha[header.index("Cost low")]
    assert cost.value == 50 and cost.number_format == "#,##0.00"
    beta = rows["Beta outreach team"]  # 60-120 over 150: ratio 0.4-0.8, saving 20-60%
    assert beta[header.index("Ratio high")].value == pytest.approx(0.8)
    assert beta[header.index("Saving % low")].value == pytest.approx(20)
    assert "Annual budget" in [
        r[1] for r in openpyxl.load_workbook(path)["Not compared"].iter_rows(values_only=True)
    ]


def test_without_output_the_workbook_goes_to_standard_output(runner: CliRunner) -> None:
    result = runner.invoke(app, ["pilot", str(BRAZIL), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PK\x03\x04")  # a zip file, as every .xlsx is


def test_without_xlsxwriter_the_message_names_the_extra(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)  # import xlsxwriter now fails
    out = tmp_path / "pilot.xlsx"
    result = runner.invoke(app, ["pilot", str(BRAZIL), "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 1
    assert "pip install '.[xlsx]'" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


RELATIVE_PILOT = """\
version: 1
services:
  - id: harbour-house
    name: Harbour House (proposal)
    place: Hull
    country: GB
    category: crisis
    budget:
      currency: GBP
      lines:
        - {label: Staff, amount: 200000}
        - {label: Premises and running costs, amount: 92200}
      capacity: {beds: 4, occupancy: 0.8}
    baselines:
      - id: ward
        label: Acute ward
        compare: budget
        relative:
          relation: baseline-times
          value: 3
          words: a ward bed costs three times as much
"""


def test_a_baseline_stated_as_a_ratio(runner: CliRunner, tmp_path: Path) -> None:
    pilot = tmp_path / "harbour.yaml"
    pilot.write_text(RELATIVE_PILOT, encoding="utf-8")
    rows = evaluate(workbook(runner, tmp_path / "pilot.xlsx", "pilot", str(pilot)))
    # 4 beds x 0.8 x 365.25 = 1 168.8 bed-nights; 292 200 / 1 168.8 = GBP 250 a bed-night.
    assert rows["Unit cost"] == pytest.approx((250, 250))
    # "Three times as much": the ward costs 750 a night, the ratio is 1/3.
    assert rows["Baseline per bed-night"] == pytest.approx((750, 750))
    assert rows["Ratio"] == pytest.approx((1 / 3, 1 / 3))
    # Break-even: 750 x 1 168.8 = 876 600 a year; saving 876 600 - 292 200 = 584 400; occupancy
    # 292 200 / (4 x 750 x 365.25) = 0.8 / 3.
    assert rows["Break-even budget"] == pytest.approx((876_600, 876_600))
    assert rows["Annual saving"] == pytest.approx((584_400, 584_400))
    assert rows["Break-even occupancy"] == pytest.approx((0.8 / 3, 0.8 / 3))
    expected = pilot_json(runner, str(pilot))
    assert (
        places(rows["Annual saving, shown"][0], expected["annual_saving"]["low"])
        == expected["annual_saving"]["low"]
    )


@pytest.mark.parametrize("pilot", [BRAZIL, INDIA])
def test_a_reader_without_excel_sees_the_formulas_results(
    runner: CliRunner, tmp_path: Path, pilot: Path
) -> None:
    path = workbook(runner, tmp_path / "pilot.xlsx", "pilot", str(pilot), "--currency", "USD")
    recomputed = evaluate(path)
    cached = openpyxl.load_workbook(path, data_only=True)["Calculation"]
    seen = 0
    for label, low, high in cached.iter_rows(min_col=1, max_col=3, values_only=True):
        expected = recomputed.get(label, (None, None))
        if low != "low" and None not in expected:
            assert (low, high) == pytest.approx(expected, rel=1e-9, abs=1e-9), label
            seen += 1
    # Every number of the calculation sheet is there, none a cached 0 standing for a formula.
    assert seen > 20 and cached["B6"].value not in (0, None)


def test_a_length_of_stay_is_a_live_input(runner: CliRunner, tmp_path: Path) -> None:
    from tests.engine.test_pilot import PILOT

    text = PILOT.format(
        budget="1000000", baseline="3675", unit="admission", capital="",
        pilot="    pilot: {length_of_stay: [14, 28], horizon_years: 2}\n",
    )  # fmt: skip
    path = tmp_path / "stay.yaml"
    path.write_text(text)
    expected = pilot_json(runner, str(path))
    rows = evaluate(workbook(runner, tmp_path / "stay.xlsx", "pilot", str(path)))
    # USD 3675 an admission over 28-14 days: 131.25-262.50 a bed-night, as the report says.
    assert rows["Baseline per bed-night"] == pytest.approx((131.25, 262.5))
    assert expected["baselines"][0]["cost"] == {"low": "131.25", "high": "262.50"}
    # Net saving 2922 nights x 131.25-262.50 - 1 000 000 = -616 487.50 to -232 975.
    assert rows["Net annual saving"] == pytest.approx((-616_487.5, -232_975))
    net = expected["net_annual_saving"]
    assert (net["low"], net["high"]) == ("-616487.50", "-232975.00")
    book = openpyxl.load_workbook(tmp_path / "stay.xlsx")
    labels = [r[0] for r in book["Inputs"].iter_rows(values_only=True)]
    assert "Length of stay" in labels
