"""Every `cmhcost ...` example of the README runs as written on the shipped data and does what the
README says it does: each example has a check below, worked from the README's text or the data."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import Result
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.loading.paths import shipped_services
from cmhcost.loading.reader import load_services
from tests.conftest import same_drawing

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Left out: the network (rates update) and the user's shell start-up files (completion).
NOT_RUN = ("cmhcost rates update", "cmhcost --install-completion", "cmhcost --show-completion")
PILOT_NAME = "Peer-run crisis respite house"  # the template's, as init-pilot writes it

Check = Callable[[Result, Path], None]
CHECKS: dict[str, Check] = {}


def readme_commands() -> list[str]:
    """The `cmhcost` lines of the README's sh blocks, comments cut, templates written first."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    lines = [line.split(" # ")[0].strip() for block in blocks for line in block.splitlines()]
    commands = [line for line in lines if line.startswith("cmhcost ")]
    return sorted(commands, key=lambda c: not c.startswith("cmhcost init-pilot"))


def expect(command: str) -> Callable[[Check], Check]:
    """Register the check of one README example."""

    def register(check: Check) -> Check:
        CHECKS[command] = check
        return check

    return register


def line_of(text: str, start: str) -> str:
    """The first line of a table that begins (after its margin) with `start`."""
    return next(line for line in text.splitlines() if line.strip().startswith(start))


# A row of the compare table: name, cost, baseline, ratio (low, or low–high), notes.
ROW = re.compile(r"^ (?!vs )(?P<name>\S.*?)\s{2,}[\d.,–]+\s+[\d.,–]+\s+(?P<ratio>\d+\.\d+)")


def ratios_by_section(text: str) -> dict[str, list[tuple[str, Decimal]]]:
    """The name and low ratio of each row of the compare table, in order, by section."""
    sections: dict[str, list[tuple[str, Decimal]]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("Per "):
            current = line
            sections[current] = []
        elif current and (row := ROW.match(line)):
            sections[current].append((row["name"], Decimal(row["ratio"])))
    return sections


@expect("cmhcost --version")
def _version(result: Result, folder: Path) -> None:
    # The version of the installed distribution, as pip and the wheel's metadata give it.
    assert result.stdout == f"cmhcost {metadata.version('cmhcost')}\n"


@expect("cmhcost compare")
def _compare(result: Result, folder: Path) -> None:
    # "table, USD per day, each figure at its own conversion month".
    assert "Cost against baseline, USD, per day (each figure's conversion month)" in result.stdout
    # The JSON contract's Tupu Ake: NZ$ 297 a bed-night = USD 213.07 against NZ$ 1000, ratio
    # 297 / 1000 = 0.2970, which the table rounds to 213 and 0.30.
    assert re.search(r"Tupu Ake \(NZ, 2020\)\s+213\s+\S+\s+0\.30\s", result.stdout)


@expect("cmhcost compare --currency EUR --per month")
def _compare_eur_month(result: Result, folder: Path) -> None:
    assert "Cost against baseline, EUR, per month" in result.stdout.splitlines()[0]
    assert "Per person-month" in result.stdout and "Per person-day" not in result.stdout


@expect("cmhcost compare --category crisis --sort ratio")
def _compare_crisis(result: Result, folder: Path) -> None:
    # "one category, cheapest first": each row a service of the category or tagged with it, and
    # in each section the ratios rise.
    data = load_services([shipped_services()]).services.values()
    crisis = [s.name for s in data if s.category.value == "crisis" or "crisis" in s.tags]
    sections = ratios_by_section(result.stdout)
    rows = [row for section in sections.values() for row in section]
    assert len(rows) >= 4
    assert all(
        any(name.startswith(c) or c.startswith(name[:-1]) for c in crisis) for name, _ in rows
    )
    assert all([r for _, r in s] == sorted(r for _, r in s) for s in sections.values())


@expect("cmhcost compare --rates-date 2024-01-01")
def _compare_one_date(result: Result, folder: Path) -> None:
    assert "(rates of 2024-01-01)" in result.stdout.splitlines()[0]
    # The lari rate is implied for March 2021 only: a figure is not compared for want of a rate.
    assert re.search(r"\d+ no\s+exchange rate at the date", result.stdout)


@expect("cmhcost compare --data my-pilot.yaml")
def _compare_with_pilot(result: Result, folder: Path) -> None:
    # "the pilot among the guidance's services": the template's house beside Tupu Ake.
    assert PILOT_NAME[:20] in result.stdout and "Tupu Ake" in result.stdout


def agrees(promised: object, found: object, where: str = "") -> None:
    """Every value the README prints is the one found; `"..."` (or a text ending in it) elides."""
    if isinstance(promised, dict):
        assert isinstance(found, dict), where
        for key, value in promised.items():
            if key != "...":
                assert key in found, f"{where}/{key}"
                agrees(value, found[key], f"{where}/{key}")
    elif isinstance(promised, list):
        assert isinstance(found, list) and len(found) >= len(promised), where
        for index, (value, item) in enumerate(zip(promised, found, strict=False)):
            agrees(value, item, f"{where}[{index}]")
    elif not (isinstance(promised, str) and promised.endswith("...")):
        assert found == promised, where


@expect("cmhcost compare --format json --output costs.json")
def _compare_json(result: Result, folder: Path) -> None:
    assert result.stdout == "" and "wrote costs.json" in result.stderr
    written = json.loads((folder / "costs.json").read_text(encoding="utf-8"))
    # The README's JSON contract, as printed there: the keys in order, and its Tupu Ake row
    # value for value (NZ$ 297 at 0.717407 = USD 213.07; 297 / 1000 = 0.2970; saving 70.30%).
    contract = json.loads(re.search(r"```json\n(.*?)```", README, re.S)[1])  # type: ignore[index]
    assert list(written) == list(contract)
    (promised,) = contract["rows"]
    row = next(r for r in written["rows"] if r["id"] == promised["id"])
    keys = iter(row)
    assert all(key in keys for key in promised)  # the README's keys, in its order
    agrees(promised, row)


@expect("cmhcost compare --format markdown --check docs/cost-tables.md")
def _compare_check(result: Result, folder: Path) -> None:
    assert result.stdout == "" and "docs/cost-tables.md is up to date" in result.stderr


@expect("cmhcost compare --basis ppp --price-year 2024")
def _compare_ppp(result: Result, folder: Path) -> None:
    assert "Cost against baseline, 2024 I$ (PPP), per day" in result.stdout.splitlines()[0]
    # Tupu Ake, NZ$ 297 and 1000 of 2020 (docs/methods.md, tests/conversion/test_prices.py):
    # x NZ CPI 2021-2024 1.212251 / PPP NZ 2024 1.463912 = I$ 245.94 against 828.09.
    assert re.search(r"Tupu Ake \(NZ, 2020\)\s+246\s+828\s+0\.30\s", result.stdout)


@expect("cmhcost init-pilot my-pilot.yaml")
def _init_pilot(result: Result, folder: Path) -> None:
    # "a commented template (and the schema beside it, for editors)".
    template = (folder / "my-pilot.yaml").read_text(encoding="utf-8")
    assert template.startswith("# yaml-language-server: $schema=services.schema.json\n")
    schema = json.loads((folder / "services.schema.json").read_text(encoding="utf-8"))
    assert "services" in schema["properties"]


# The template's pilot, by hand: running 380 000-420 000 + 60 000 + 40 000 = 480 000-520 000;
# capital 150 000 x 0.03 / (1 - 1.03^-10) = 4500 / 0.255906 = 17 584.58 a year; 497 584.58-
# 537 584.58 a year over 6 beds x 0.6-0.9 x 365.25 = 1314.9-1972.35 bed-nights:
# 497 584.58 / 1972.35 = GBP 252.28 to 537 584.58 / 1314.9 = GBP 408.84 a bed-night.
# Break-even occupancy against GBP 500 a hospital night: 497 584.58 / (6 x 500 x 365.25)
# = 497 584.58 / 1 095 750 = 0.4541 to 537 584.58 / 1 095 750 = 0.4906; break-even budget
# 500 x 1314.9 = 657 450 to 500 x 1972.35 = 986 175 a year.
TEMPLATE_COST = ("252.28", "408.84")


@expect("cmhcost pilot my-pilot.yaml")
def _pilot(result: Result, folder: Path) -> None:
    # "in the pilot's own currency".
    text = " ".join(result.stdout.split())
    assert f"GBP {TEMPLATE_COST[0]}–{TEMPLATE_COST[1]} per bed-night" in text
    assert "Unit-cost parity occupancy 0.45–0.49" in text
    assert "Unit-cost parity budget GBP 657,450.00–986,175.00 a year" in text
    # Budget-neutral: the baseline care replaced, 0.5 x 500 x 1314.9 = 328 725 to
    # 1 x 500 x 1972.35 = 986 175 a year.
    assert "Budget-neutral budget GBP 328,725.00–986,175.00 a year" in text


@expect(
    "cmhcost pilot cmhcost:examples/brazil-peer-crisis-respite.yaml "
    "cmhcost:examples/india-supported-housing.yaml --format csv"
)
def _pilots_side_by_side(result: Result, folder: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows][:1] == ["campinas-peer-crisis-respite"]
    assert {r["id"] for r in rows} == {"campinas-peer-crisis-respite", "chennai-supported-housing"}
    # Campinas, worked in tests/engine/test_pilot.py: 749.50 to 1276.35 a bed-night.
    assert (rows[0]["cost_low"], rows[0]["cost_high"]) == ("749.50", "1276.35")


@expect(
    "cmhcost pilot cmhcost:examples/brazil-peer-crisis-respite.yaml --plot-break-even break-even.svg"
)
def _brazil_break_even_plot(result: Result, folder: Path) -> None:
    assert "wrote break-even.svg" in result.stderr
    assert (folder / "break-even.svg").read_text(encoding="utf-8").startswith("<?xml")


@expect("cmhcost pilot my-pilot.yaml --plot-break-even be.svg")
def _break_even_plot(result: Result, folder: Path) -> None:
    assert "wrote be.svg" in result.stderr
    assert (folder / "be.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert TEMPLATE_COST[0] in result.stdout  # and the appraisal, as without the plot


@expect(
    "cmhcost pilot cmhcost:examples/brazil-peer-crisis-respite.yaml --currency USD --format json"
)
def _pilot_json(result: Result, folder: Path) -> None:
    (pilot,) = json.loads(result.stdout)["pilots"]
    assert (pilot["id"], pilot["currency"], pilot["unit"]) == (
        "campinas-peer-crisis-respite",
        "USD",
        "bed-night",
    )
    # The README's keys of a pilot, each present.
    for key in ("cost", "arithmetic", "baselines", "break_even_occupancy", "rank", "peers"):
        assert key in pilot
    # Of the README's rank "2–4 of 5" (worked in BRL in tests/engine/test_pilot.py): five
    # crisis services, Afiya House above the house's high end. In US dollars the low end is 1,
    # not 2: each side converts at its own month, which moves the house's low end below the
    # Shared Lives crisis scheme.
    assert pilot["rank"]["place"]["high"] == "4" and pilot["rank"]["of"] == 5


BRAZIL = "cmhcost:examples/brazil-peer-crisis-respite.yaml"  # a shipped name: runs anywhere


def _json_of(*args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@expect(f"cmhcost sensitivity {BRAZIL} --plot tornado.svg")
def _tornado(result: Result, folder: Path) -> None:
    assert "wrote tornado.svg" in result.stderr
    assert (folder / "tornado.svg").read_text(encoding="utf-8").startswith("<?xml")
    # "ordered by the swing in net annual saving": the table's first row is the widest swing.
    one_way = _json_of("sensitivity", BRAZIL)["one_way"]
    swings = [abs(Decimal(p["swing"])) for p in one_way]
    assert swings == sorted(swings, reverse=True) and len(swings) >= 2
    assert one_way[0]["parameter"] in result.stdout


@expect(
    f"cmhcost sensitivity {BRAZIL} --grid occupancy,substitution --steps 5 --plot-grid grid.svg"
)
def _grid(result: Result, folder: Path) -> None:
    assert "wrote grid.svg" in result.stderr
    assert (folder / "grid.svg").read_text(encoding="utf-8").startswith("<?xml")
    grid = _json_of("sensitivity", BRAZIL, "--grid", "occupancy,substitution", "--steps", "5")
    grid = grid["grid"]  # "an N x N grid of two parameters"
    assert len(grid["x_values"]) == len(grid["y_values"]) == 5
    assert [len(row) for row in grid["net_saving"]] == [5] * 5


@expect(f"cmhcost psa {BRAZIL} --draws 10000 --seed 1 --format json")
def _psa(result: Result, folder: Path) -> None:
    found = json.loads(result.stdout)
    assert (found["draws"], found["seed"], found["correlation"]) == (10000, 1, "not modelled")
    saving = found["probabilities"]["net_saving_above_zero"]
    p, se = Decimal(saving["value"]), Decimal(saving["se"])
    # "each with its standard error": the binomial one, sqrt(p (1 - p) / n), to 4 places.
    assert abs(se - (p * (1 - p) / 10000).sqrt()) <= Decimal("0.0001")
    again = CliRunner().invoke(
        app, shlex.split(f"psa {BRAZIL} --draws 10000 --seed 1 --format json")
    )
    assert again.stdout == result.stdout  # "the same seed gives the same bytes"


@expect(f"cmhcost psa {BRAZIL} --spread 20% --draws 2000 --draws-output draws.csv --plot psa.svg")
def _psa_draws(result: Result, folder: Path) -> None:
    with (folder / "draws.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + 2000  # a header, then every draw
    assert (folder / "psa.svg").read_text(encoding="utf-8").startswith("<?xml")


@expect("cmhcost plot --output ratios.svg")
def _plot(result: Result, folder: Path) -> None:
    # "The same data draws the same bytes": the README's own picture, drawn by this command in a
    # process of its own, as a user runs it (matplotlib's font cache is per process, and other
    # tests in this one may have built it from another folder).
    assert (folder / "ratios.svg").read_text(encoding="utf-8").startswith("<?xml")
    redrawn = subprocess.run(
        [sys.executable, "-m", "cmhcost", "plot", "--output", str(folder / "again.svg")],
        capture_output=True,
        cwd=folder,
        check=True,
    )
    assert redrawn.returncode == 0
    again, golden = (folder / "again.svg").read_bytes(), (ROOT / "docs" / "ratios.svg").read_bytes()
    assert same_drawing(again, golden)


@expect("cmhcost compare --format html --output report.html")
def _compare_html(result: Result, folder: Path) -> None:
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # "one self-contained page": the plot inline, nothing fetched.
    assert "<svg" in page and not re.search(r"(src|href)=\"https?:", page)
    assert "Tupu Ake" in page


@expect("cmhcost compare --format xlsx --output costs.xlsx")
def _compare_xlsx(result: Result, folder: Path) -> None:
    sheet = openpyxl.load_workbook(folder / "costs.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "Service")
    # "low and high columns", as numbers: Tupu Ake's ratio 297 / 1000 = 0.297.
    for column in ("Cost low", "Cost high", "Ratio low", "Ratio high"):
        assert column in header
    tupu = next(r for r in rows if r[0] == "Tupu Ake")
    assert tupu[header.index("Ratio low")] == pytest.approx(0.297)


@expect("cmhcost pilot my-pilot.yaml --plot pilot.svg")
def _pilot_plot(result: Result, folder: Path) -> None:
    assert "wrote pilot.svg" in result.stderr
    assert (folder / "pilot.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert TEMPLATE_COST[0] in result.stdout  # and the appraisal, as without --plot


@expect("cmhcost pilot my-pilot.yaml --format html --output pilot.html")
def _pilot_html(result: Result, folder: Path) -> None:
    page = (folder / "pilot.html").read_text(encoding="utf-8")
    assert f"<title>Pilot appraisal: {PILOT_NAME}</title>" in page
    assert f"GBP {TEMPLATE_COST[0]}–{TEMPLATE_COST[1]} per bed-night" in page


@expect("cmhcost pilot my-pilot.yaml --format xlsx --output pilot.xlsx")
def _pilot_xlsx(result: Result, folder: Path) -> None:
    # "three sheets: Inputs, Calculation and Comparable services".
    workbook = openpyxl.load_workbook(folder / "pilot.xlsx")
    assert workbook.sheetnames == ["Inputs", "Calculation", "Comparable services"]


@expect('cmhcost rates add 129.20 KES --per USD --date 2025-07-01 --source "Central Bank of Kenya"')
def _rates_add(result: Result, folder: Path) -> None:
    # 'records "129.20 KES = 1 USD" on that day ... says which file it wrote' (the user's).
    assert result.stderr == (
        f"{folder / 'data-home' / 'cmhcost' / 'exchange_rates.yaml'}: 129.20 KES = 1 USD on "
        "2025-07-01 (Central Bank of Kenya)\n"
    )


@expect("cmhcost convert 1000 KES --to USD --date 2025-07-15 --format json")
def _convert_kes(result: Result, folder: Path) -> None:
    record = json.loads(result.stdout)
    # At the rate just added, the nearest earlier one: 1000 / 129.20 = 7.7399 USD.
    assert (record["result"], record["rate_date"]) == ("7.74", "2025-07-01")
    assert record["source"].startswith("Central Bank of Kenya")


@expect("cmhcost rates list --currency KES")
def _rates_list(result: Result, folder: Path) -> None:
    row = line_of(result.stdout, "│KES")
    for cell in ("2025-07-01", "129.20", "USD", "user", "Central Bank of Kenya"):
        assert cell in row


def test_the_readme_has_examples_of_every_kind() -> None:
    commands = readme_commands()
    assert len(commands) >= 15
    assert any(c.startswith("cmhcost rates add") for c in commands)


@expect("cmhcost paths")
def _paths(result: Result, folder: Path) -> None:
    # "the shipped data and examples, by name and path": each name beside a file that exists.
    rows = dict(line.split("\t") for line in result.stdout.splitlines())
    assert Path(rows["cmhcost:services.yaml"]).is_file()
    assert Path(rows["cmhcost:examples/brazil-peer-crisis-respite.yaml"]).is_file()


@expect("cmhcost init-pilot respite.yaml --from brazil-peer-crisis-respite")
def _init_from_example(result: Result, folder: Path) -> None:
    # "start from a shipped example": a copy of the Campinas house, runnable as it is.
    assert "campinas-peer-crisis-respite" in (folder / "respite.yaml").read_text(encoding="utf-8")


def test_every_readme_example_has_a_check() -> None:
    run = {c for c in readme_commands() if not c.startswith(NOT_RUN)}
    assert run == set(CHECKS), "a README example without a check, or a check of none"


# Examples that leave what later examples read: the pilot templates and the user's KES rate.
SETS_UP = ("cmhcost init-pilot", "cmhcost rates add")


@pytest.mark.parametrize(
    "command", [c for c in readme_commands() if not c.startswith(NOT_RUN)], ids=lambda c: c[8:]
)
def test_every_readme_command_does_what_the_readme_says(
    command: str, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "docs", tmp_path / "docs")  # the generated documents CI checks
    monkeypatch.chdir(tmp_path)  # no data/ or examples/ here: the commands name shipped files
    commands = readme_commands()
    for before in commands[: commands.index(command)]:  # what a reader has run by this example
        if before.startswith(SETS_UP):
            done = runner.invoke(app, shlex.split(before)[1:])
            assert done.exit_code == 0, f"{before}\n{done.output}"
    result = runner.invoke(app, shlex.split(command)[1:])
    assert result.exit_code == 0, f"{command}\n{result.output}"
    CHECKS[command](result, tmp_path)
