"""The online refresh: forex-python's HTTP layer mocked with `responses`; no socket is opened."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import responses
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import RefreshError
from cmhcost.loading.reader import parse_rates
from cmhcost.loading.refresh import ForexPythonSource, select
from tests.conftest import FIXTURES, rate_set

URL = re.compile(r"https://[^/]+/api/2021-02-01")  # wherever forex-python's service lives
GOOD = (
    '{"base": "EUR", "date": "2021-02-01", "rates": {"USD": 1.2084, "GBP": 0.882, "NZD": 1.6883}}'
)


@pytest.fixture
def rates_file(tmp_path: Path) -> Path:
    path = tmp_path / "rates.yaml"
    path.write_text((FIXTURES / "valid" / "rates.yaml").read_text())
    return path


def update(runner: CliRunner, path: Path, *extra: str):
    return runner.invoke(
        app, ["rates", "update", "--rates-file", str(path), "--date", "2021-02-01", *extra]
    )


@responses.activate
def test_fetched_rates_are_merged_exactly(runner: CliRunner, rates_file: Path) -> None:
    responses.get(URL, body=GOOD)
    result = update(runner, rates_file, "--currency", "USD", "--currency", "NZD")
    assert result.exit_code == 2 and "(--replace)" in result.stderr  # the file's own USD, NZD
    result = update(runner, rates_file, "--currency", "USD", "--currency", "NZD", "--replace")
    assert result.exit_code == 0, result.output
    assert "replaced NZD on 2021-02-01 from test rates February" in result.stderr
    stored = parse_rates(rates_file.read_text())
    fetched = [s for s in stored.sets if "forex-python" in s.source]
    assert len(fetched) == 1 and fetched[0].rates == {
        "USD": Decimal("1.2084"),
        "NZD": Decimal("1.6883"),
    }
    assert len(stored.sets) == 3
    assert rates_file.read_text().startswith("# Round-number rates for tests")
    assert responses.calls[0].request.params["base"] == "EUR"


@responses.activate
def test_a_rate_far_from_the_stored_one_is_warned_about(
    runner: CliRunner, rates_file: Path
) -> None:
    responses.get(
        URL, body=GOOD
    )  # the stored test rate for NZD is 1.6; GBP 0.8 against 0.882 is 10.25% off
    result = update(runner, rates_file, "--replace")
    assert result.exit_code == 0, result.output
    assert "warning: GBP on 2021-02-01: fetched 0.882 per EUR, stored 0.8 on 2021-02-01" in (
        result.stderr
    )
    assert "warning: NZD" not in result.stderr


SHAPE = "a reply of an unexpected shape for 2021-02-01"
FAILURES = {
    "server error": ({"status": 503, "body": "down"}, "answered with an error for 2021-02-01"),
    "refused": ({"body": requests.ConnectionError("refused")}, "could not reach the rate service"),
    "timeout": ({"body": requests.Timeout("slow")}, "did not answer within 10 s"),
    "html": ({"body": "<html><body>Maintenance</body></html>"}, "not rates JSON"),
    "a list": ({"body": "[1, 2]"}, "not rates JSON"),
    "no rates": ({"body": '{"base": "EUR", "rates": {}}'}, f"{SHAPE}: no rates"),
    "rates a list": ({"body": '{"rates": [1.2]}'}, f"{SHAPE}: no rates"),
    "negative": (
        {"body": '{"rates": {"USD": -1}}'},
        f"{SHAPE}: USD: a rate must be a finite number above zero, not -1",
    ),
    "text rate": ({"body": '{"rates": {"USD": "x"}}'}, f"{SHAPE}: 'USD': 'x' is not a number"),
    "bad code": ({"body": '{"rates": {"usd": 1.2}}'}, f"{SHAPE}: 'usd' is not a currency code"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
@responses.activate
def test_every_failure_is_one_message_and_leaves_the_file_alone(
    runner: CliRunner, rates_file: Path, case: str
) -> None:
    reply, message = FAILURES[case]
    responses.get(URL, **reply)
    before = rates_file.read_bytes()
    result = update(runner, rates_file)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert rates_file.read_bytes() == before
    assert list(rates_file.parent.iterdir()) == [rates_file]


@responses.activate
def test_a_currency_missing_from_the_reply_is_an_error(runner: CliRunner, rates_file: Path) -> None:
    responses.get(URL, body=GOOD)
    before = rates_file.read_bytes()
    result = update(runner, rates_file, "--currency", "GEL")
    assert result.exit_code == 1
    assert "the rate service has no rate for GEL on 2021-02-01" in result.stderr
    assert rates_file.read_bytes() == before


def test_future_dates_are_refused(runner: CliRunner, rates_file: Path) -> None:
    result = runner.invoke(
        app, ["rates", "update", "--rates-file", str(rates_file), "--date", "2999-01-01"]
    )
    assert result.exit_code == 2
    assert "in the future" in result.output


@responses.activate
def test_an_interruption_between_write_and_rename_keeps_the_old_file(
    runner: CliRunner, rates_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    responses.get(URL, body=GOOD)
    before = rates_file.read_bytes()

    def interrupted(src: str, dst: str) -> None:
        assert Path(src).read_text().count("forex-python") == 1  # the new file was fully written
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    result = update(runner, rates_file, "--replace")
    assert result.exit_code == 130  # interrupted, as a shell reports SIGINT
    assert rates_file.read_bytes() == before
    left = {p.name for p in rates_file.parent.iterdir()}
    assert left == {rates_file.name, f".{rates_file.name}.lock"}  # no temporary file


def test_a_process_killed_mid_write_leaves_the_old_file(rates_file: Path) -> None:
    before = rates_file.read_bytes()
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from cmhcost.report.atomic import write_atomic\n"
        "os.replace = lambda src, dst: os.kill(os.getpid(), signal.SIGKILL)\n"
        "write_atomic(Path(sys.argv[1]), 'half a file')\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(rates_file)], check=False)
    assert done.returncode == -9
    assert rates_file.read_bytes() == before


def test_update_on_the_same_day_and_source_changes_that_set_in_place(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "rates.yaml"
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body=GOOD)
        assert update(runner, path, "--currency", "USD").exit_code == 0
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body=GOOD.replace("1.2084", "1.25"))
        assert update(runner, path, "--currency", "USD", "--currency", "GBP").exit_code == 0
    stored = parse_rates(path.read_text())
    assert [s.rates for s in stored.sets] == [{"USD": Decimal("1.25"), "GBP": Decimal("0.882")}]


def test_missing_currency_in_the_reply_names_it() -> None:
    with pytest.raises(RefreshError, match="no rate for KES"):
        select(rate_set("2021-02-01", USD="1.2"), ["KES"])


def test_the_source_uses_a_timeout() -> None:
    assert ForexPythonSource().timeout == 10.0
    assert date.today() > date(2021, 2, 1)


def test_a_service_that_never_answers_is_given_up_after_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from forex_python.converter import CurrencyRates

    release = threading.Event()
    monkeypatch.setattr(CurrencyRates, "get_rates", lambda *args: release.wait(5))
    try:
        with pytest.raises(RefreshError, match="did not answer within 0.2 s"):
            ForexPythonSource(timeout=0.2).fetch("EUR", date(2021, 2, 1))
    finally:
        release.set()


@responses.activate
def test_update_writes_the_user_layer_and_warns_against_the_nearest_earlier_date(
    runner: CliRunner, tmp_path: Path
) -> None:
    # The shipped ECB set of 2021-02-01 has GBP 0.882 and USD 1.2084. A 2021-02-10 reply of GBP 0.98
    # is 11.1% above it ((0.98 - 0.882) / 0.882 = 0.111); USD 1.22 is 0.96% above: no warning.
    responses.get(
        re.compile(r"https://[^/]+/api/2021-02-10"),
        body='{"base": "EUR", "rates": {"USD": 1.22, "GBP": 0.98}}',
    )
    result = runner.invoke(app, ["rates", "update", "--date", "2021-02-10"])
    assert result.exit_code == 0, result.output
    user_file = tmp_path / "data-home" / "cmhcost" / "exchange_rates.yaml"
    assert str(user_file) in result.stderr
    assert "warning: GBP on 2021-02-10: fetched 0.98 per EUR, stored 0.882 on 2021-02-01" in (
        result.stderr
    )
    assert "USD on" not in result.stderr
    stored = parse_rates(user_file.read_text())
    assert [s.rates for s in stored.sets] == [{"GBP": Decimal("0.98"), "USD": Decimal("1.22")}]
