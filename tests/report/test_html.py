"""The HTML report: self-contained, escaped, complete, and rendered by a real headless browser."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from tests.conftest import FIXTURES, optional

FOREST = FIXTURES / "valid" / "forest.yaml"
RATES = FIXTURES / "valid" / "rates.yaml"
DATA = ["--no-shipped-data", "--data", str(FOREST), "--rates", str(RATES)]
EXAMPLES = Path(__file__).parents[2] / "examples"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [  # a closed network: no background traffic, no first-run work, no sandbox as root
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def report(runner: CliRunner, path: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--format", "html", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def test_everything_from_the_data_is_escaped(runner: CliRunner, tmp_path: Path) -> None:
    page = report(runner, tmp_path / "r.html", "compare", *DATA)
    assert "Alpha &lt;House&gt; &amp; &quot;Co&quot;" in page
    assert "<House>" not in page and "<b>per night</b>" not in page
    assert "two pages give 50 and 55 &lt;b&gt;per night&lt;/b&gt;" in page  # the flag, written out
    assert "1.1 &lt;Alpha&gt;" in page  # a section title from the data


def test_the_page_holds_rows_sources_and_what_was_not_compared(
    runner: CliRunner, tmp_path: Path
) -> None:
    page = report(runner, tmp_path / "r.html", "compare", *DATA)
    assert page.count('<tr id="') == 3
    # Alpha: 50 / 200 = 0.25, saving 75%; Gamma: 300 / 150 = 2, saving -100%.
    assert ">0.25<" in page and ">75<" in page and ">2.00<" in page and ">-100<" in page
    assert "test-document.txt. Section 1.1 &lt;Alpha&gt;, lines 10-12" in page
    assert "“a night at Alpha costs US$ 50 &amp; no more”" in page
    assert "Annual budget" in page and "a budget, not a unit cost of care" in page
    assert "USD" in page and "per day" in page and "Price year" in page
    assert "Exchange rates" in page and "<h2>Method</h2>" in page
    assert '<figure id="forest-plot"' in page and 'id="ratio-alpha-house-ward"' in page


def test_the_page_needs_nothing_from_outside(runner: CliRunner, tmp_path: Path) -> None:
    page = report(runner, tmp_path / "r.html", "compare", *DATA)
    for outside in ("<script", "<link", "<img", "<iframe", "@import", "url(http", 'src="'):
        assert outside not in page
    hrefs = [part.split('"')[0] for part in page.split('href="')[1:]]
    assert all(h.startswith("#") for h in hrefs), hrefs  # links only within the page


def test_without_matplotlib_the_page_says_so(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    page = report(runner, tmp_path / "r.html", "compare", *DATA)
    assert "<svg" not in page
    assert "pip install '.[plot]'" in page
    assert page.count('<tr id="') == 3


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Chromium for the HTML report's test: apt-get install chromium")
        pytest.skip("no Chromium: apt-get install chromium (CI installs it)")
    import pytest_socket

    sync_playwright = optional("playwright.sync_api", "test-browser").sync_playwright

    # Playwright's event loop wakes itself through a local socket pair, made once here; the
    # browser talks over pipes and the page is a file, so the network stays blocked for tests.
    pytest_socket.enable_socket()
    try:
        manager = sync_playwright()
        playwright = manager.start()
    finally:
        pytest_socket.disable_socket()
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield launched
    launched.close()
    playwright.stop()


def open_page(browser: Any, path: Path, width: int, height: int) -> tuple[Any, list[str]]:
    """The page in a fresh context; the list collects console errors and outside requests."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:")) else problems.append(r.url),
    )
    page.goto(path.as_uri())
    return page, problems


def test_a_browser_renders_the_report(runner: CliRunner, browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    report(runner, path, "compare", *DATA)
    page, problems = open_page(browser, path, 1280, 900)
    assert page.locator("table.comparison tbody tr").count() == 3
    assert page.locator("#forest-plot svg #ratio-alpha-house-ward").count() == 1
    assert page.title().startswith("Community mental health services against hospital care")
    page.screenshot(path=str(tmp_path / "report-desktop.png"), full_page=True)
    pdf = page.pdf()  # the print style lays it out for paper
    assert pdf.startswith(b"%PDF")
    assert problems == []


def test_the_report_reads_on_a_phone(runner: CliRunner, browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    report(runner, path, "compare", *DATA)
    page, problems = open_page(browser, path, 390, 844)
    # No sideways scrolling: the table stacks into one card per row.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("table.comparison thead").is_hidden()
    page.screenshot(path=str(tmp_path / "report-phone.png"), full_page=True)
    assert problems == []


def test_the_shipped_data_has_every_row_flag_and_quote(
    runner: CliRunner, browser: Any, tmp_path: Path
) -> None:
    path = tmp_path / "report.html"
    report(runner, path, "compare")
    result = runner.invoke(app, ["compare", "--format", "json"])
    rows = json.loads(result.stdout)["rows"]
    page, problems = open_page(browser, path, 1280, 900)
    assert page.locator("table.comparison tbody tr").count() == len(rows)
    text = page.inner_text("body")
    for row in rows:
        assert row["name"] in text
        assert row["source"]["quote"] in text
        for note in row["notes"]:
            assert note.removeprefix("flag: ") in text
    assert problems == []


def test_a_pilot_report_draws_its_ratios_and_ranks_it_among_its_peers(
    runner: CliRunner, browser: Any, tmp_path: Path
) -> None:
    path = tmp_path / "pilot.html"
    report(runner, path, "pilot", str(EXAMPLES / "brazil-peer-crisis-respite.yaml"))
    page, problems = open_page(browser, path, 1280, 900)
    # Its ratio drawn against parity, and its place among the guidance's services of its kind.
    assert page.locator("#ratio-campinas-peer-crisis-respite-psychiatric-hospital").count() == 1
    assert page.locator("ol.peers li.pilot").count() == 1
    text = page.inner_text("body")
    # The decisive numbers come first, before the arithmetic, and the method is the one used.
    for label in ("Net annual saving", "Budget-neutral occupancy", "Break-even substitution"):
        assert label in text
    assert text.index("Net annual saving") < text.index("Arithmetic")
    assert "brought to the pilot's price year, 2025" in text
    assert "Capital outlay in year 0" in text and "BRL 360,000.00" in text
    page.screenshot(path=str(tmp_path / "pilot.png"), full_page=True)
    assert problems == []


def test_the_heading_names_the_price_year_and_basis(runner: CliRunner, tmp_path: Path) -> None:
    page = report(
        runner, tmp_path / "r.html", "compare", "--price-year", "2023", "--basis", "market"
    )
    assert "(2023 USD (market rates of 2023), per day)</h1>" in page
    assert "mean market exchange rate of 2023" in page
