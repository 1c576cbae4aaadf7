"""Reports that no other test runs: audit, rates list, services, validate, --rates-date, and the
branches of the engine each needs (a missing rate, the cross-currency ratio, every capacity)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.conversion.exchange import RateTable
from cmhcost.domain.money import Range
from cmhcost.engine.audit import audit
from cmhcost.engine.compare import compare
from cmhcost.engine.costing import derive
from cmhcost.loading.reader import load_rates, parse_services
from cmhcost.schema.services import Budget, Unit
from tests.conftest import FIXTURES

SERVICES = str(FIXTURES / "valid" / "services.yaml")
RATES = str(FIXTURES / "valid" / "rates.yaml")
DATA = ["--no-shipped-data", "--data", SERVICES, "--rates", RATES]
SOURCE = "source: {document: d.txt, section: s, lines: [1, 1], quote: q}"


def fixture_rates() -> RateTable:
    return RateTable(load_rates(FIXTURES / "valid" / "rates.yaml").sets)


def test_audit_recomputes_the_printed_usd_equivalents(runner: CliRunner) -> None:
    result = runner.invoke(app, ["audit", *DATA, "--format", "json"])
    assert result.exit_code == 0, result.output
    checks = {(c["id"], c["figure"]): c for c in json.loads(result.stdout)["usd_checks"]}
    tupu = checks[("tupu-ake", "rate-per-bed-night")]
    # NZ$ 297 in February 2021 at 1.2 USD and 1.6 NZD a euro: 297 x 1.2 / 1.6 = 222.75;
    # the text prints US$ 213: (213 - 222.75) / 222.75 = -4.377%.
    assert tupu["computed_usd"] == {"low": "222.75", "high": "222.75"}
    assert tupu["deviation_pct"] == "-4.38" and tupu["rate_date"] == "2021-02-01"
    assert tupu["no_rate"] is None
    # BRL 1 200-2 400 at 6.4 BRL a euro: 225-450 USD against 210-420 printed: -6.67% both ends.
    assert checks[("caps-iii-brasilandia", "hospital-day")]["deviation_pct"] == "-6.67"
    assert len(checks) == 6  # every non-USD figure with a printed USD equivalent is > 2% off here


def test_audit_table_lists_checks_budgets_and_flags(runner: CliRunner) -> None:
    result = runner.invoke(app, ["audit", *DATA])
    assert result.exit_code == 0, result.output
    assert "tupu-ake/rate-per-bed-night" in result.stdout and "-4.4" in result.stdout
    assert "Unit costs derived from budgets against the unit cost stated (0):" in result.stdout
    assert "Flags recorded in the data (" in result.stdout


def test_audit_names_a_missing_rate_instead_of_a_date() -> None:
    text = f"""version: 1
services:
  - id: nairobi
    name: Nairobi house
    place: Nairobi
    country: KE
    category: crisis
    figures:
      - id: night
        label: A night
        amount: 5000
        currency: KES
        unit: bed-night
        usd: {{amount: 45, as_of: 2021-02}}
        {SOURCE}
"""
    found = audit(parse_services(text), fixture_rates(), every_usd_check=True)
    (check,) = found.usd_checks
    assert check.computed is None and check.rate_date is None and check.off
    assert check.missing_rate is not None and check.missing_rate.currency == "KES"
    assert "no KES rate on or shortly before 2021-02-28" in str(check.missing_rate)


def test_rates_list_summarises_and_lists_a_currency(runner: CliRunner) -> None:
    listed = runner.invoke(app, ["rates", "list", "--rates", RATES, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    document = json.loads(listed.stdout)
    usd = next(c for c in document["currencies"] if c["currency"] == "USD")
    # the shipped rates are the bottom layer; the test file's two sets sit on top of them
    assert usd["layers"] == ["shipped", RATES]
    assert {"test rates February", "test rates March"} < set(usd["sources"])
    assert usd["first"] == "2015-01-02"
    assert document["quotes"] == []
    one = runner.invoke(app, ["rates", "list", "--rates", RATES, "--currency", "nzd"])
    assert one.exit_code == 0, one.output
    assert "2021-02-01" in one.stdout and "1.6" in one.stdout and "1.7" in one.stdout


def test_services_table_lists_every_record_with_its_counts(runner: CliRunner) -> None:
    result = runner.invoke(app, ["services", "--no-shipped-data", "--data", SERVICES])
    assert result.exit_code == 0, result.output
    assert "5 records" in result.stdout
    caps = next(line for line in result.stdout.splitlines() if "caps-iii-brasilandia" in line)
    cells = [cell.strip() for cell in caps.split("│")]
    assert cells[-3:-1] == ["2", "1"]  # two figures, one baseline


def test_show_json_is_the_record_as_its_file_states_it(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["show", "tupu-ake", "--no-shipped-data", "--data", SERVICES, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "tupu-ake" and record["country"] == "NZ"
    assert record["figures"][0]["amount"] == {"low": "297", "high": "297"}
    assert record["figures"][0]["usd"] == {
        "amount": {"low": "213", "high": "213"},
        "as_of": "2021-02",
    }


def test_validate_says_what_it_read_when_all_is_well(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", SERVICES, "--rates", RATES])
    assert result.exit_code == 0, result.output
    # Figures: Tupu Ake 1 + its baseline's cost 1, Link House 1 (its baseline is relative),
    # CAPS III 2 + 1 baseline cost, Maryland 1 + 1, Aung Clinic 1: 9.
    assert result.stderr == f"ok: 5 records, 9 figures in {SERVICES}\n"
    assert result.stdout == ""


def test_rates_date_converts_everything_at_one_date(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["compare", *DATA, "--format", "json", "--rates-date", "2021-03-01"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["rates_date"] == "2021-03-01"
    tupu = next(r for r in document["rows"] if r["id"] == "tupu-ake")
    # March: 1.25 USD and 1.7 NZD a euro. 297 x 1.25 / 1.7 = 218.382...; 1000 x 1.25 / 1.7 = 735.294...
    assert tupu["cost"] == {"low": "218.38", "high": "218.38"}
    assert tupu["baseline"]["low"] == "735.29"
    assert tupu["ratio"] == {"low": "0.2970", "high": "0.2970"}  # 297 / 1000, in NZD
    assert any("2021-03-01, the rates date asked for" in note for note in tupu["notes"])


def test_a_service_and_baseline_in_two_currencies_compare_in_the_one_asked() -> None:
    text = f"""version: 1
services:
  - id: two-currencies
    name: Two currencies
    place: London
    country: GB
    category: crisis
    figures:
      - id: night
        label: A night
        amount: 80
        currency: GBP
        unit: person-day
        {SOURCE}
    baselines:
      - id: ward
        label: A ward in New Zealand
        cost:
          id: ward-day
          label: A ward day
          amount: 320
          currency: NZD
          unit: person-day
          {SOURCE}
"""
    (row,) = compare(parse_services(text), fixture_rates()).rows
    # February 2021 (the guidance's month): 80 GBP x 1.2 / 0.8 = 120 USD; 320 NZD x 1.2 / 1.6 = 240.
    assert row.cost == Range.of(120) and row.baseline_cost == Range.of(240)
    assert row.ratio == Range.of("0.5") and row.saving == Range.of(120)
    assert any(n.startswith("GBP to USD at 1.5") for n in row.notes)
    assert any(n.startswith("NZD to USD at 0.75") for n in row.notes)


@pytest.mark.parametrize(
    ("capacity", "unit", "cost", "step"),
    [
        # 100 000 + 20 000 = 120 000 a year for 400 people: 300 per person.
        ({"people_per_year": 400}, Unit.PERSON, "300", "people served a year: 400"),
        # 120 000 a year for a catchment of 60 000: 2 per resident a year.
        ({"population": 60000}, Unit.CAPITA_YEAR, "2", "catchment population: 60000"),
        # 120 000 a year for 10 residents all year: 12 000 per person-year.
        ({"residents": 10}, Unit.PERSON_YEAR, "12000", "person-years: 10 residents all year"),
    ],
)
def test_a_budget_gives_a_unit_cost_for_every_kind_of_capacity(
    capacity: dict[str, int], unit: Unit, cost: str, step: str
) -> None:
    budget = Budget.model_validate(
        {
            "currency": "BRL",
            "lines": [{"label": "staff", "amount": 100000}, {"label": "rent", "amount": 20000}],
            "capacity": capacity,
        }
    )
    derivation = derive(budget)
    assert derivation.unit is unit
    assert derivation.unit_cost == Range.of(Decimal(cost))
    assert derivation.steps[0] == "annual budget: 100000 (staff) + 20000 (rent) = BRL 120000"
    assert derivation.steps[1] == step


UNCHECKABLE_BUDGET = f"""version: 1
services:
  - id: drop-in
    name: Drop-in
    place: Leeds
    country: GB
    category: peer-support
    figures:
      - id: day
        label: A day
        amount: 20
        currency: GBP
        unit: person-day
        price_year: 2024
        {SOURCE}
    budget:
      currency: GBP
      price_year: 2024
      check: day
      lines: [{{label: staff, amount: 40000}}]
      capacity: {{people_per_year: 200}}
"""


def test_a_budget_in_another_unit_than_its_check_is_listed_as_not_checkable(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "drop-in.yaml"
    path.write_text(UNCHECKABLE_BUDGET)
    # 40 000 a year for 200 people: GBP 200 a person, which does not convert to a person-day.
    table = runner.invoke(app, ["audit", "--no-shipped-data", "--data", str(path)])
    assert table.exit_code == 0, table.output
    assert "cannot be checked: the derived cost is in another unit or currency" in table.stdout
    document = runner.invoke(
        app, ["audit", "--no-shipped-data", "--data", str(path), "--format", "json"]
    )
    (check,) = json.loads(document.stdout)["budget_checks"]
    assert check["derived"] is None and check["difference_pct"] is None
