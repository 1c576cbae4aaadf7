"""The forest plot: what it draws, where, and that it draws the same bytes every time."""

from __future__ import annotations

import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from tests.conftest import FIXTURES

FOREST = FIXTURES / "valid" / "forest.yaml"
RATES = FIXTURES / "valid" / "rates.yaml"
DATA = ["--no-shipped-data", "--data", str(FOREST), "--rates", str(RATES)]
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def draw(runner: CliRunner, path: Path, *extra: str) -> bytes:
    result = runner.invoke(app, ["plot", *DATA, "--output", str(path), *extra])
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def xs(group: ET.Element) -> list[float]:
    """The x coordinates a group draws at: its markers' positions and its paths' points."""
    found = [float(use.attrib["x"]) for use in group.iter(f"{SVG}use")]
    for path in group.iter(f"{SVG}path"):
        if path.attrib.get("id"):  # a marker's shape in <defs>, not a position
            continue
        found += [float(x) for x in re.findall(r"[ML] *(-?[\d.]+) +-?[\d.]+", path.attrib["d"])]
    return found


def ys(group: ET.Element) -> list[float]:
    return [float(use.attrib["y"]) for use in group.iter(f"{SVG}use")] or [
        float(y)
        for y in re.findall(r"[ML] *-?[\d.]+ +(-?[\d.]+)", group.find(f"{SVG}path").attrib["d"])
    ]


@pytest.fixture
def svg(runner: CliRunner, tmp_path: Path) -> ET.Element:
    return ET.fromstring(draw(runner, tmp_path / "ratios.svg"))


def by_id(root: ET.Element, gid: str) -> ET.Element:
    found = root.find(f".//*[@id='{gid}']")
    assert found is not None, f"no element {gid} in the drawing"
    return found


def test_points_sit_on_a_log_axis_against_parity(svg: ET.Element) -> None:
    parity = sum(xs(by_id(svg, "parity"))) / 2
    alpha = xs(by_id(svg, "ratio-alpha-house-ward"))  # 50 / 200 = 0.25, a point
    gamma = xs(by_id(svg, "ratio-gamma-home-ward"))  # 300 / 150 = 2, a point
    beta = xs(by_id(svg, "ratio-beta-team-ward"))  # 60/150 = 0.4 to 120/150 = 0.8, a range
    assert len(alpha) == 1 and len(gamma) == 1 and len(beta) == 2
    unit = gamma[0] - parity  # the distance of log(2) on the axis
    assert unit > 0
    # On a log axis 0.25 = 2**-2 lies twice as far left of 1.0 as 2 lies right of it.
    assert (alpha[0] - parity) / unit == pytest.approx(-2, abs=1e-3)
    # The range runs from log2(0.4) = -1.3219 to log2(0.8) = -0.3219 units.
    low, high = sorted(beta)
    assert (low - parity) / unit == pytest.approx(math.log2(0.4), abs=1e-3)
    assert (high - parity) / unit == pytest.approx(math.log2(0.8), abs=1e-3)


def test_rows_are_labelled_grouped_by_category_and_flagged(svg: ET.Element) -> None:
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    alpha = 'Alpha <House> & "Co" (GB) vs Acute ward, per night [1]'
    for label in (alpha, "Beta outreach team (PE) vs Acute ward, per day", "Crisis",
                  "Community outreach", "Supported living", "parity 1.0"):  # fmt: skip
        assert label in texts
    # The flag's number is explained in the caption, and the rows read top to bottom by category.
    assert "[1] two pages give 50 and 55 <b>per night</b>" in texts
    assert texts.index("Crisis") < texts.index(alpha) < texts.index("Community outreach")
    heights = [
        ys(by_id(svg, f"ratio-{s}-ward"))[0] for s in ("alpha-house", "beta-team", "gamma-home")
    ]
    assert heights == sorted(heights)  # SVG's y grows downward
    title = next(t for t in texts if t.startswith("Cost ratio"))
    assert "USD" in title and "per day" in title
    assert any("Data: forest.yaml, from WHO" in t for t in texts)


def test_the_same_data_draws_the_same_bytes(runner: CliRunner, tmp_path: Path) -> None:
    for ext, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        first = draw(runner, tmp_path / f"a.{ext}")
        assert first.startswith(magic)
        assert draw(runner, tmp_path / f"b.{ext}") == first, ext
    assert b"<dc:date>" not in (tmp_path / "a.svg").read_bytes()


def test_options_select_rows_and_basis(runner: CliRunner, tmp_path: Path) -> None:
    svg = ET.fromstring(
        draw(
            runner,
            tmp_path / "x.svg",
            "--category",
            "crisis",
            "--currency",
            "EUR",
            "--per",
            "month",
        )
    )
    ids = {e.attrib["id"] for e in svg.iter() if e.attrib.get("id", "").startswith("ratio-")}
    assert ids == {"ratio-alpha-house-ward"}
    title = next(
        "".join(t.itertext())
        for t in svg.iter(f"{SVG}text")
        if "Cost ratio" in "".join(t.itertext())
    )
    assert "EUR" in title and "per month" in title


def test_an_unknown_extension_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["plot", *DATA, "--output", str(tmp_path / "x.gif")])
    assert result.exit_code == 2
    assert ".svg, .png or .pdf" in result.output
    assert not (tmp_path / "x.gif").exists()


BRAZIL = "cmhcost:examples/brazil-peer-crisis-respite.yaml"


@pytest.mark.parametrize(
    "args",
    [
        ["plot", *DATA, "--output"],
        ["pilot", BRAZIL, "--plot-break-even"],
        ["sensitivity", BRAZIL, "--plot"],
    ],
    ids=["forest plot", "break-even", "tornado"],
)
def test_without_matplotlib_the_message_names_the_extra(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    result = runner.invoke(app, [*args, str(tmp_path / "x.svg")])
    assert result.exit_code == 1
    # every drawing shares the message: it names no drawing the command did not ask for
    assert result.stderr.startswith("drawing needs matplotlib, which is not installed")
    assert "pip install '.[plot]'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.svg").exists()


def test_a_pilot_is_drawn_among_the_guidance_highlighted(runner: CliRunner, tmp_path: Path) -> None:
    pilot = Path(__file__).parents[2] / "examples" / "brazil-peer-crisis-respite.yaml"
    out = tmp_path / "pilot.svg"
    result = runner.invoke(app, ["pilot", str(pilot), "--format", "json", "--plot", str(out)])
    assert result.exit_code == 0, result.output
    svg = ET.fromstring(out.read_bytes())
    mark = by_id(svg, "ratio-campinas-peer-crisis-respite-psychiatric-hospital")
    assert "#c0392b" in ET.tostring(mark, encoding="unicode")  # the pilot's colour
    assert by_id(svg, "ratio-tupu-ake-hospital-bed") is not None  # the guidance's services too
    label = next(
        t for t in svg.iter(f"{SVG}text") if "".join(t.itertext()).startswith("Peer-run crisis")
    )
    assert "#c0392b" in label.attrib.get("style", "")


def test_check_finds_a_drawing_that_drifted(runner: CliRunner, tmp_path: Path) -> None:
    drawing = tmp_path / "ratios.svg"
    draw(runner, drawing)
    result = runner.invoke(app, ["plot", *DATA, "--check", str(drawing)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["plot", *DATA, "--currency", "EUR", "--check", str(drawing)])
    assert result.exit_code == 1
    assert "out of date" in result.stderr and "(EUR, per day" in result.stderr
    result = runner.invoke(app, ["plot", *DATA, "--check", str(tmp_path / "ratios.png")])
    assert result.exit_code == 2


def test_a_price_year_and_basis_are_in_the_title(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "x.svg"
    result = runner.invoke(app, ["plot", "--output", str(out), "--price-year", "2023"])
    assert result.exit_code == 0, result.output
    svg = ET.fromstring(out.read_bytes())  # the shipped data, its figures taken to 2023 prices
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert any("2023 I$ (PPP), per day" in t for t in texts)
    assert any(e.attrib.get("id", "").startswith("ratio-") for e in svg.iter())
    result = runner.invoke(
        app,
        ["plot", *DATA, "--output", str(tmp_path / "y.svg"), "--price-year", "2023",
         "--rates-date", "2021-02-01"],
    )  # fmt: skip
    assert result.exit_code == 2


def test_nothing_to_compare_still_draws(runner: CliRunner, tmp_path: Path) -> None:
    # The test figures name no price year, so none can be taken to 2023 prices.
    svg = ET.fromstring(draw(runner, tmp_path / "x.svg", "--price-year", "2023"))
    assert by_id(svg, "empty") is not None


def test_a_pilot_drawn_at_another_countrys_ppp_names_that_country(
    runner: CliRunner, tmp_path: Path
) -> None:
    # The amounts are converted at Kenya's PPP: the title says so, as compare's heading does.
    out = tmp_path / "pilot.svg"
    pilot = "cmhcost:examples/brazil-peer-crisis-respite.yaml"
    args = ["--basis", "ppp", "--price-year", "2024", "--to-country", "KE"]
    result = runner.invoke(app, ["pilot", pilot, *args, "--plot", str(out)])
    assert result.exit_code == 0, result.output
    texts = ["".join(t.itertext()) for t in ET.fromstring(out.read_bytes()).iter(f"{SVG}text")]
    assert any("2024 USD (PPP of KE)" in t for t in texts)
    assert not any("I$" in t for t in texts)
    heading = runner.invoke(app, ["compare", *args]).stdout.splitlines()[0]
    assert "2024 USD (PPP of KE)" in heading
