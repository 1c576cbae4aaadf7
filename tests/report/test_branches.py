"""Every branch of the formats and of the output path, on the shipped data and small inline files."""

from __future__ import annotations

import io
import json
import runpy
import sys
from pathlib import Path

import pytest

from cmhcost.conversion.exchange import RateTable, rate_listing
from cmhcost.domain.codes import check_country, check_currency
from cmhcost.domain.errors import CmhcostError
from cmhcost.domain.money import Range
from cmhcost.engine.audit import audit
from cmhcost.engine.pilot import evaluate
from cmhcost.loading.paths import shipped_rates, shipped_services
from cmhcost.loading.reader import load_rates, load_services, parse_services
from cmhcost.report import OutputFormat, atomic, delivery
from cmhcost.report.atomic import write_atomic
from cmhcost.report.delivery import Destination, PipeClosed, deliver, to_stdout
from cmhcost.report.interface import Display, Formatter
from tests.conftest import FIXTURES

SOURCE = "source: {document: d.txt, section: s, lines: [1, 1], quote: q}"
NO_BASELINE_PILOT = """version: 1
services:
  - id: quiet-house
    name: Quiet house
    place: Leeds
    country: GB
    category: crisis
    budget:
      currency: GBP
      lines: [{label: staff, amount: 292200}]
      capacity: {beds: 4, occupancy: 0.5}
"""
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
        {SOURCE}
    budget:
      currency: GBP
      check: day
      lines: [{{label: staff, amount: 40000}}]
      capacity: {{people_per_year: 200}}
"""


@pytest.fixture(scope="module")
def shipped() -> tuple[object, RateTable]:
    data = load_services([shipped_services()])
    return data, RateTable(load_rates(shipped_rates()).sets)


def formatters() -> list[Formatter]:
    return [OutputFormat(f).formatter(Display()) for f in ("table", "markdown", "csv", "json")]


def text_of(chunks: object) -> str:
    return "".join(chunks)  # type: ignore[call-overload]


def test_every_shipped_record_shows_in_every_format(shipped: tuple[object, RateTable]) -> None:
    data = shipped[0]
    for formatter in formatters():
        for record in data.services.values():  # type: ignore[attr-defined]
            shown = text_of(formatter.show(record))
            assert shown.endswith("\n")
            assert record.id in shown or (formatter.name == "csv" and not record.figures)
        listed = text_of(formatter.services(list(data.services.values())))  # type: ignore[attr-defined]
        assert listed.endswith("\n")


def test_the_shipped_audit_in_every_format(shipped: tuple[object, RateTable]) -> None:
    found = audit(*shipped, every_usd_check=True)  # type: ignore[arg-type]
    assert found.budget_checks and found.flags
    for formatter in formatters():
        report = text_of(formatter.audit(found))
        assert found.flags[0].text.split()[0] in report
        assert found.budget_checks[0].service.id in report


def test_a_budget_in_another_unit_is_listed_as_not_checkable() -> None:
    found = audit(parse_services(UNCHECKABLE_BUDGET), RateTable([]))
    (check,) = found.budget_checks
    # 40 000 a year for 200 people: 200 per person, which does not convert to a person-day.
    assert check.derived is None and check.difference_pct is None
    table = text_of(OutputFormat.TABLE.formatter(Display()).audit(found))
    assert "cannot be checked: the derived cost is in another unit or currency" in table
    assert (
        json.loads(text_of(OutputFormat.JSON.formatter(Display()).audit(found)))["budget_checks"][
            0
        ]["derived"]
        is None
    )


def test_a_pilot_without_a_baseline_in_every_format(shipped: tuple[object, RateTable]) -> None:
    (service,) = parse_services(NO_BASELINE_PILOT).services.values()
    report = evaluate(service, *shipped)  # type: ignore[arg-type]
    # 292 200 a year for 4 beds x 0.5 x 365.25 = 730.5 bed-nights: 400 GBP a bed-night.
    assert report.cost == Range.of(400) and report.comparisons == ()
    for formatter in formatters():
        assert "Quiet house" in text_of(formatter.pilot([report]))
    rows = text_of(OutputFormat.CSV.formatter(Display()).pilot([report])).splitlines()
    assert rows[1].startswith("quiet-house,Quiet house,GBP,,market,bed-night,400.00,400.00,,")


def test_the_quotes_of_a_currency_in_every_format() -> None:
    sets = load_rates(FIXTURES / "valid" / "rates.yaml").sets
    listing = rate_listing([("test", sets)], ["NZD"])
    assert [(q.date.isoformat(), str(q.rate)) for q in listing.quotes] == [
        ("2021-02-01", "1.6"),
        ("2021-03-01", "1.7"),
    ]
    for formatter in formatters():
        assert "1.7" in text_of(formatter.rates(listing))
        assert "test" in text_of(formatter.rates(listing))  # the layer


def test_a_format_may_leave_any_report_to_others() -> None:
    bare = Formatter(Display())
    for report in ("compare", "pilot", "audit", "convert", "services", "show", "rates"):
        with pytest.raises(CmhcostError, match="does not apply"):
            getattr(bare, report)(None)


def test_bytes_go_to_standard_output_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stream)
    to_stdout(["text ", b"\x00bytes"])
    assert stream.buffer.getvalue() == b"text \x00bytes"  # type: ignore[attr-defined]


def test_a_closed_pipe_is_reported_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(PipeClosed):
        to_stdout(["x"])


def test_a_terminal_gets_colour_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert delivery._terminal().color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not delivery._terminal().color


def test_check_against_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CmhcostError, match="Is a directory"):
        deliver(Destination(OutputFormat.JSON, check=tmp_path), lambda f: iter(["{}"]))


def test_an_output_path_through_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(CmhcostError, match="Not a directory"):
        write_atomic(tmp_path / "file" / "out.txt", "y")


def test_a_directory_that_cannot_be_synced_is_no_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = atomic.os.open

    def no_directories(path: object, flags: int, *args: object) -> int:
        if Path(str(path)).is_dir():
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "open", no_directories)
    write_atomic(tmp_path / "a.txt", "a\n")
    monkeypatch.setattr(atomic.os, "open", real)
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(22, "no")))
    with pytest.raises(CmhcostError):  # the file itself must be synced
        write_atomic(tmp_path / "b.txt", "b\n")


def test_codes_explain_common_slips() -> None:
    with pytest.raises(ValueError, match="currency symbol; write the ISO 4217 code \\(GBP\\)"):
        check_currency("£")
    with pytest.raises(ValueError, match="currency codes are upper case \\('USD'\\)"):
        check_currency("usd")
    with pytest.raises(ValueError, match="country codes are upper case \\('GB'\\)"):
        check_country("gb")


def test_python_dash_m_runs_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["cmhcost", "schema", "rates"])
    with pytest.raises(SystemExit) as ended:
        runpy.run_module("cmhcost", run_name="__main__")
    assert ended.value.code == 0
