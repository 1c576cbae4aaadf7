"""Standard output closed, full or gone, in the process itself: one line on standard error and
exit 1, or, when the reader went away, a quiet exit 0; never a traceback."""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Iterator

import pytest

from cmhcost import __version__
from cmhcost.cli import main


@pytest.fixture(autouse=True)
def _version_asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr("sys.argv", ["cmhcost", "--version"])
    yield


class FullStream(io.StringIO):
    """A text stream on a full disk: every write fails as a write to the device would."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def exit_code(capsys: pytest.CaptureFixture[str]) -> tuple[int | str | None, list[str]]:
    with pytest.raises(SystemExit) as ended:
        main()
    return ended.value.code, capsys.readouterr().err.splitlines()


def test_the_version_is_written_to_a_working_standard_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as ended:
        main()
    assert ended.value.code in (0, None)
    assert capsys.readouterr() == (f"cmhcost {__version__}\n", "")


def test_a_closed_standard_output_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdout", None)  # `cmhcost --version >&-`
    code, errors = exit_code(capsys)
    assert code == 1
    assert errors == ["cmhcost: cannot write to standard output: standard output is closed"]


def test_a_full_standard_output_stream_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdout", FullStream())
    code, errors = exit_code(capsys)
    assert code == 1
    assert errors == ["cmhcost: cannot write to standard output: No space left on device"]


def test_dev_full_as_standard_output_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:  # `cmhcost --version > /dev/full`
        monkeypatch.setattr("sys.stdout", full)
        code, errors = exit_code(capsys)
        monkeypatch.undo()
    assert code == 1
    assert errors == ["cmhcost: cannot write to standard output: No space left on device"]


def test_a_reader_that_went_away_is_a_quiet_exit_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # `cmhcost --version | true`: the reader is gone before the output
    with open(write_end, "w", encoding="utf-8") as pipe:
        monkeypatch.setattr("sys.stdout", pipe)
        code, errors = exit_code(capsys)
        monkeypatch.undo()
    assert code == 0
    assert errors == []


class GoneStream(io.StringIO):
    """A stream whose reader went away: the write itself fails, as on a pipe with no reader."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def test_a_broken_pipe_on_write_is_silent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Raised inside the command, the broken pipe is ended by the command-line library with
    # status 1 and no message; raised when the output is flushed (above), the exit is 0.
    monkeypatch.setattr("sys.stdout", GoneStream())
    code, errors = exit_code(capsys)
    assert code == 1
    assert errors == []
