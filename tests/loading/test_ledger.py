"""The user's rates file is a ledger: concurrent writers lose nothing, comments stay, another
source's rate is replaced only when asked, and nothing is written that cmhcost cannot read."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.loading.reader import parse_rates

CBK = ["--source", "Central Bank of Kenya"]


def user_file(tmp_path: Path) -> Path:
    return tmp_path / "data-home" / "cmhcost" / "exchange_rates.yaml"


def add(runner: CliRunner, *args: str) -> object:
    return runner.invoke(app, ["rates", "add", *args])


def test_twenty_concurrent_adds_leave_twenty_rates(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data-home")}
    days = [(date(2024, 1, 1) + timedelta(days=i)).isoformat() for i in range(20)]

    def run(day: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "cmhcost", "rates", "add", "129.5", "KES"]
        command += ["--per", "USD", "--date", day, *CBK]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    with ThreadPoolExecutor(max_workers=20) as pool:
        done = list(pool.map(run, days))
    assert [d.returncode for d in done] == [0] * 20, [d.stderr for d in done]
    stored = parse_rates(user_file(tmp_path).read_text())
    assert sorted(s.date.isoformat() for s in stored.sets) == days


def test_comments_and_layout_survive_an_add(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    text = (
        "# My rates, checked against the bank's bulletin.\n"
        "version: 1\n"
        "sets:\n"
        "  # January\n"
        '  - {date: 2024-01-02, base: USD, source: "CBK", method: "bulletin", rates: "KES 157.5"}\n'
        "# end of my list\n"
    )
    path.write_text(text)
    result = add(
        runner,
        "150",
        "KES",
        "--per",
        "USD",
        "--date",
        "2024-02-01",
        *CBK,
        "--rates-file",
        str(path),
    )
    assert result.exit_code == 0, result.output
    after = path.read_text()
    assert after.startswith(text)  # everything there before, byte for byte
    assert after.count("\n") == text.count("\n") + 1
    assert len(parse_rates(after).sets) == 2


def test_another_sources_rate_is_replaced_only_when_asked(
    runner: CliRunner, tmp_path: Path
) -> None:
    first = ["157.5", "KES", "--per", "USD", "--date", "2024-01-02", "--source", "CBK"]
    second = ["158", "KES", "--per", "USD", "--date", "2024-01-02", "--source", "Reuters"]
    assert add(runner, *first).exit_code == 0
    refused = add(runner, *second)
    assert refused.exit_code == 2
    assert "KES on 2024-01-02 is already stored from 'CBK'" in refused.stderr
    assert "--replace" in refused.stderr
    assert [str(s.rates["KES"]) for s in parse_rates(user_file(tmp_path).read_text()).sets] == [
        "157.5"
    ]
    replaced = add(runner, *second, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "replaced KES on 2024-01-02 from CBK" in replaced.stderr
    sets = parse_rates(user_file(tmp_path).read_text()).sets
    assert [(s.source, str(s.rates["KES"])) for s in sets] == [("Reuters", "158")]


BAD_VALUES = {  # rate, day, source, what the message says
    "tiny rate": ("1e-300", "2024-01-02", "CBK", "beyond what cmhcost computes"),
    "huge rate": ("1e300", "2024-01-02", "CBK", "beyond what cmhcost computes"),
    "15 digits": ("123.456789012345", "2024-01-02", "CBK", "14 significant"),
    "before 1950": ("129", "1949-12-31", "CBK", "from 1950 to 2100"),
    "control character": ("129", "2024-01-02", "CBK\x7f", "U+007F"),
    "escape": ("129", "2024-01-02", "\x1b[2J", "U+001B"),
    "too long": ("129", "2024-01-02", "x" * 2001, "at most 2,000"),
    "not UTF-8": ("129", "2024-01-02", "CBK\udcff", "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_a_value_the_reader_would_refuse_is_never_written(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    rate, day, source, message = BAD_VALUES[case]
    options = ["--per", "USD", "--date", day, "--source", source]
    result = runner.invoke(app, ["rates", "add", *options, "--", rate, "KES"])
    assert result.exit_code == 1, result.output
    assert message in result.stderr and "internal error" not in result.stderr
    assert not user_file(tmp_path).exists()
    assert runner.invoke(app, ["convert", "1", "GBP", "--to", "USD"]).exit_code == 0


def test_an_unreadable_user_layer_says_whose_it_is_and_how_to_repair_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = user_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\nsets:\n  - {date: 2024-01-02, base: USD, rates: 'KES -1'}\n")
    result = runner.invoke(app, ["convert", "1", "GBP", "--to", "USD"])
    assert result.exit_code == 1
    assert f"{path}:3:" in result.stderr
    assert "your own rates file (the user layer" in result.stderr
    assert "correct or delete the lines named above" in result.stderr
    assert runner.invoke(app, ["services"]).exit_code == 0  # needs no rates
    again = add(runner, "129", "KES", "--per", "USD", "--date", "2024-01-02", *CBK)
    assert again.exit_code == 1 and "user layer" in again.stderr


def test_a_data_home_that_is_a_file_is_a_message(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "not-a-folder"
    home.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    result = add(runner, "129", "KES", "--per", "USD", "--date", "2024-01-02", *CBK)
    assert result.exit_code == 1, result.output
    assert "cannot write the rates file there" in result.stderr
    assert runner.invoke(app, ["convert", "1", "GBP", "--to", "USD"]).exit_code == 0


def test_a_rates_file_in_a_folder_that_cannot_be_made_is_a_message(
    runner: CliRunner, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    target = blocker / "sub" / "rates.yaml"
    result = add(
        runner,
        "129",
        "KES",
        "--per",
        "USD",
        "--date",
        "2024-01-02",
        *CBK,
        "--rates-file",
        str(target),
    )
    assert result.exit_code == 1 and "--rates-file" in result.stderr


def test_the_lock_makes_a_second_writer_wait(tmp_path: Path) -> None:
    from cmhcost.loading.ledger import locked

    path = tmp_path / "rates.yaml"
    script = (
        "import sys, time\nfrom pathlib import Path\nfrom cmhcost.loading.ledger import locked\n"
        "with locked(Path(sys.argv[1])):\n    print('in', flush=True)\n    time.sleep(1)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "in\n"
    started = time.monotonic()
    with locked(path):
        waited = time.monotonic() - started
    holder.wait(10)
    assert waited > 0.5


@settings(max_examples=300, deadline=None)
@given(
    source=st.text(min_size=1, max_size=40),
    rate=st.decimals(allow_nan=True, allow_infinity=True, places=None),
)
def test_what_rates_add_accepts_always_reads_back(source: str, rate: Decimal) -> None:
    import tempfile

    from cmhcost.domain.errors import CmhcostError
    from cmhcost.loading.ledger import record
    from cmhcost.loading.rate_layers import rate_to_add

    try:
        added = rate_to_add(str(rate), "KES", "USD", date(2024, 1, 2), source)
    except CmhcostError:
        return  # refused before anything is written
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rates.yaml"
        record(path, added, False, lambda p, text: p.write_text(text, encoding="utf-8"))
        (stored,) = parse_rates(path.read_text(encoding="utf-8")).sets
    assert (stored.source, stored.rates["KES"]) == (source.strip(), rate)


def stored(tmp_path: Path, text: str | bytes) -> Path:
    """The user's own rates file, written by hand."""
    path = user_file(tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


KES_JANUARY = (
    "version: 1\n"
    "sets:\n"
    '  - {date: 2024-01-02, base: USD, source: "CBK", method: "bulletin", rates: "KES 157.5"}\n'
)


def test_a_rate_that_would_make_a_cycle_is_not_written(runner: CliRunner, tmp_path: Path) -> None:
    # KES per USD is stored; USD per KES on another day would convert each through the other.
    path = stored(tmp_path, KES_JANUARY)
    result = add(runner, "0.0065", "USD", "--per", "KES", "--date", "2024-02-01", *CBK)
    assert result.exit_code == 1, result.output
    assert f"{path}: not written: the rate would not read back:" in result.stderr
    assert "a currency converts through itself" in result.stderr
    assert path.read_text() == KES_JANUARY  # the file as it was


def test_a_user_file_that_is_not_utf8_is_left_and_explained(
    runner: CliRunner, tmp_path: Path
) -> None:
    raw = KES_JANUARY.encode() + b"# caf\xe9\n"
    path = stored(tmp_path, raw)
    result = add(runner, "150", "KES", "--per", "USD", "--date", "2024-02-01", *CBK)
    assert result.exit_code == 1, result.output
    assert f"{path}:4:" in result.stderr and "not UTF-8 text (byte 0xe9)" in result.stderr
    assert "your own rates file (the user layer" in result.stderr
    assert path.read_bytes() == raw


def test_a_flow_layout_is_regenerated_keeping_the_leading_comments(
    runner: CliRunner, tmp_path: Path
) -> None:
    # `sets: [...]` on one line: a set cannot be appended as a line, so the file is written
    # afresh in cmhcost's layout; the comments at its top stay, the others go, and the user
    # is told.
    text = (
        "# My rates\n"
        "# from the bulletin\n"
        "version: 1\n"
        "sets: [{date: 2024-01-02, base: USD, source: CBK, method: bulletin, rates: 'KES 157.5'}]"
        "  # inline\n"
    )
    path = stored(tmp_path, text)
    result = add(runner, "150", "KES", "--per", "USD", "--date", "2024-02-01", *CBK)
    assert result.exit_code == 0, result.output
    assert f"{path}: the file's layout did not allow an edit in place; it was rewritten" in (
        result.stderr
    )
    after = path.read_text()
    assert after.startswith("# My rates\n# from the bulletin\n")
    assert "# inline" not in after
    sets = parse_rates(after).sets
    assert [(s.date.isoformat(), str(s.rates["KES"])) for s in sets] == [
        ("2024-01-02", "157.5"),
        ("2024-02-01", "150"),
    ]


def test_a_changed_set_leaves_the_comment_under_it(runner: CliRunner, tmp_path: Path) -> None:
    # A set of the same day, base and source takes the new rate: its line is rewritten at the
    # end, and the comment and blank line that followed it stay where they were.
    text = (
        "version: 1\n"
        "sets:\n"
        '  - {date: 2024-01-02, base: USD, source: "Central Bank of Kenya", method: "m",\n'
        '     rates: "KES 157.5"}\n'
        "  # checked twice\n"
        "\n"
        '  - {date: 2024-03-01, base: USD, source: "CBK", method: "m", rates: "KES 140"}\n'
    )
    path = stored(tmp_path, text)
    result = add(runner, "100", "UGX", "--per", "USD", "--date", "2024-01-02", *CBK)
    assert result.exit_code == 0, result.output
    after = path.read_text()
    assert "  # checked twice\n" in after
    sets = parse_rates(after).sets
    assert [(s.date.isoformat(), dict(s.rates)) for s in sets] == [
        ("2024-03-01", {"KES": Decimal("140")}),
        ("2024-01-02", {"KES": Decimal("157.5"), "UGX": Decimal("100")}),
    ]


def test_another_sources_set_of_the_day_with_other_currencies_stays(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = stored(tmp_path, KES_JANUARY)
    result = add(runner, "3700", "UGX", "--per", "USD", "--date", "2024-01-02", "--source", "BoU")
    assert result.exit_code == 0, result.output
    assert "replaced" not in result.stderr
    after = path.read_text()
    assert after.startswith(KES_JANUARY)
    sets = parse_rates(after).sets
    assert [(s.source, dict(s.rates)) for s in sets] == [
        ("CBK", {"KES": Decimal("157.5")}),
        ("BoU", {"UGX": Decimal("3700")}),
    ]
