"""Safe writes: whole or nothing, never over an input, a read-only file or a directory."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.domain.errors import CmhcostError, UsageError
from cmhcost.report import atomic
from cmhcost.report.atomic import write_atomic
from tests.conftest import FIXTURES


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    services, rates = tmp_path / "services.yaml", tmp_path / "rates.yaml"
    services.write_bytes((FIXTURES / "valid" / "services.yaml").read_bytes())
    rates.write_bytes((FIXTURES / "valid" / "rates.yaml").read_bytes())
    return services, rates


def compare_to(runner: CliRunner, inputs: tuple[Path, Path], output: Path) -> object:
    services, rates = inputs
    args = [
        "compare",
        "--no-shipped-data",
        "--data",
        str(services),
        "--rates",
        str(rates),
        "--format",
        "json",
    ]
    return runner.invoke(app, [*args, "--output", str(output)])


@pytest.mark.parametrize("which", [0, 1])
def test_an_output_onto_an_input_is_refused_and_the_input_kept(
    runner: CliRunner, inputs: tuple[Path, Path], which: int
) -> None:
    target = inputs[which]
    before = target.read_bytes()
    result = compare_to(runner, inputs, target)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "is an input of this command" in result.stderr  # type: ignore[attr-defined]
    assert target.read_bytes() == before


def test_an_output_reaching_an_input_through_a_link_is_refused(
    runner: CliRunner, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(inputs[0])
    before = inputs[0].read_bytes()
    assert compare_to(runner, inputs, link).exit_code == 2  # type: ignore[attr-defined]
    assert inputs[0].read_bytes() == before and link.is_symlink()


def test_a_read_only_file_is_not_replaced(
    runner: CliRunner, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    target.write_text("keep me\n")
    target.chmod(0o444)
    result = compare_to(runner, inputs, target)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "read-only" in result.stderr  # type: ignore[attr-defined]
    assert target.read_text() == "keep me\n" and stat.S_IMODE(target.stat().st_mode) == 0o444


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    target.chmod(mode)
    write_atomic(target, ["new", "\n"])
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_0666_less_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "new.txt", "text\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == expected


def test_bytes_are_written_as_they_are(tmp_path: Path) -> None:
    write_atomic(tmp_path / "picture.png", [b"\x89PNG\r\n", b"\x00"])
    assert (tmp_path / "picture.png").read_bytes() == b"\x89PNG\r\n\x00"


def test_a_missing_directory_is_a_clear_error(
    runner: CliRunner, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    result = compare_to(runner, inputs, tmp_path / "nowhere" / "out.json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"no directory {tmp_path / 'nowhere'}" in result.stderr  # type: ignore[attr-defined]


def test_a_directory_as_output_is_bad_usage(
    runner: CliRunner, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    result = compare_to(runner, inputs, tmp_path)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "is a directory" in result.stderr  # type: ignore[attr-defined]


def test_an_unwritable_directory_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)
    with pytest.raises(CmhcostError, match="cannot write in .*: Permission denied"):
        write_atomic(tmp_path / "out.txt", "text\n")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")

    def pieces() -> object:
        yield "half"
        raise OSError(28, "No space left on device")

    with pytest.raises(CmhcostError, match="not written: No space left on device"):
        write_atomic(target, pieces())  # type: ignore[arg-type]
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_the_file_and_its_directory_are_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[bool] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    write_atomic(tmp_path / "out.txt", "text\n")
    assert synced == [False, True]


def test_write_atomic_refuses_inputs_directly(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text("x: 1\n")
    with pytest.raises(UsageError):
        write_atomic(tmp_path / "." / "in.yaml", "y\n", inputs=[source])
    assert source.read_text() == "x: 1\n"


def test_an_output_path_through_a_file_is_a_clear_error(
    runner: CliRunner, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("x\n")
    result = compare_to(runner, inputs, tmp_path / "file" / "out.json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "out.json: Not a directory" in result.stderr  # type: ignore[attr-defined]
    assert (tmp_path / "file").read_text() == "x\n"


NOBODY = 65534  # the unprivileged user id of most systems; no entry in /etc/passwd is needed


@contextmanager
def write_only(folder: Path) -> Iterator[None]:
    """`folder` can be entered and written in, but not opened or listed, by this process.

    Root passes permission checks through its effective user id, so for root the folder is
    given to an unprivileged user whose identity the process takes until the block ends.
    """
    folder.chmod(0o300)
    as_root = os.geteuid() == 0
    if as_root:
        os.chown(folder, NOBODY, NOBODY)
        os.setegid(NOBODY)
        os.seteuid(NOBODY)
    try:
        yield
    finally:
        if as_root:
            os.seteuid(0)
            os.setegid(0)
        folder.chmod(0o700)


def test_a_directory_that_cannot_be_opened_to_sync_still_gets_the_file() -> None:
    # The rename is synced by opening the directory; where it cannot be opened (no read
    # permission) the file is written all the same. Outside pytest's own folders, which only
    # their owner may enter.
    with tempfile.TemporaryDirectory() as name:
        Path(name).chmod(0o711)
        folder = Path(name) / "drop-box"
        folder.mkdir()
        with write_only(folder):
            with pytest.raises(PermissionError):
                os.open(folder, os.O_RDONLY)  # the condition holds
            write_atomic(folder / "out.txt", "text\n")
        assert (folder / "out.txt").read_text() == "text\n"
        assert [p.name for p in folder.iterdir()] == ["out.txt"]  # no temporary left


def test_a_named_pipe_is_written_as_a_stream_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, ["one\n", "two\n"])
    reader.join(10)
    assert received == [b"one\ntwo\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a pipe


def test_a_link_to_a_pipe_is_written_through_and_both_stay(tmp_path: Path) -> None:
    import threading

    fifo, link = tmp_path / "pipe", tmp_path / "out.json"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(link, "report\n")
    reader.join(10)
    assert received == [b"report\n"]
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.enable_socket  # a Unix socket in the test's folder: no network
def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(UsageError, match="not a regular file, a pipe or a device"):
            write_atomic(path, "x\n")
    finally:
        server.close()


def test_the_longest_legal_name_is_written(tmp_path: Path) -> None:
    target = tmp_path / ("r" * 245 + ".json")  # 250 characters: the temporary name is short
    write_atomic(target, "{}\n")
    assert target.read_text() == "{}\n"


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_write_removes_the_temporary_file(tmp_path: Path, signum: str) -> None:
    import signal
    import subprocess
    import sys

    target = tmp_path / "out.txt"
    target.write_text("old\n")
    script = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from cmhcost.report.atomic import write_atomic\n"
        "def pieces():\n"
        "    yield 'x' * 1000000\n"
        f"    os.kill(os.getpid(), signal.{signum})\n"
        "    time.sleep(5)\n"
        "    yield 'never'\n"
        "write_atomic(Path(sys.argv[1]), pieces())\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(target)], timeout=60, check=False)
    assert done.returncode == -getattr(signal, signum)  # ended by the signal, as without cmhcost
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_every_file_read_is_an_input(runner: CliRunner, tmp_path: Path) -> None:
    index = tmp_path / "idx.csv"
    index.write_text("# country: GB\nyear,index\n2015,100\n2020,110\n")
    before = index.read_bytes()
    result = runner.invoke(
        app,
        ["compare", "--index", str(index), "--price-year", "2020", "--format", "json",
         "--output", str(index)],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "is an input of this command" in result.stderr
    assert index.read_bytes() == before


def test_the_users_rates_and_the_shipped_tables_are_never_a_report(
    runner: CliRunner, tmp_path: Path
) -> None:
    from cmhcost.loading.paths import shipped, user_rates

    added = ["rates", "add", "129", "KES", "--per", "USD", "--date", "2024-01-02"]
    assert runner.invoke(app, [*added, "--source", "CBK"]).exit_code == 0
    mine = user_rates()
    before = mine.read_bytes()
    convert = ["convert", "100", "GBP", "--to", "USD", "--output"]
    result = runner.invoke(app, [*convert, str(mine)])
    assert result.exit_code == 2 and mine.read_bytes() == before
    ppp = shipped("ppp.csv")
    before = ppp.read_bytes()
    result = runner.invoke(app, ["compare", "--format", "json", "--output", str(ppp)])
    assert result.exit_code == 2 and ppp.read_bytes() == before


def test_init_pilot_never_replaces_the_users_rates(runner: CliRunner) -> None:
    from cmhcost.loading.paths import user_rates

    added = ["rates", "add", "129", "KES", "--per", "USD", "--date", "2024-01-02", "--source", "x"]
    assert runner.invoke(app, added).exit_code == 0
    before = user_rates().read_bytes()
    result = runner.invoke(app, ["init-pilot", str(user_rates()), "--force"])
    assert result.exit_code == 2 and "is an input of this command" in result.stderr
    assert user_rates().read_bytes() == before


def test_a_signal_in_process_removes_the_temporary_and_reaches_the_old_handler(
    tmp_path: Path,
) -> None:
    # In this process: SIGTERM ends the write, the temporary file goes, the old file stays, and
    # the signal is delivered again to the handler that was installed before; an ignored
    # SIGHUP stays ignored.
    import signal

    target = tmp_path / "out.txt"
    target.write_text("old\n")
    received: list[int] = []

    def pieces() -> Iterator[str]:
        yield "x" * 1000
        os.kill(os.getpid(), signal.SIGTERM)
        yield "never"

    before_term = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    before_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        write_atomic(target, pieces())
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, before_term)
        signal.signal(signal.SIGHUP, before_hup)
    assert received == [signal.SIGTERM]
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_write_from_another_thread_is_whole(tmp_path: Path) -> None:
    # Signal handlers belong to the main thread: another thread writes without them.
    import threading

    target = tmp_path / "out.txt"
    failures: list[BaseException] = []

    def write() -> None:
        try:
            write_atomic(target, ["one\n", "two\n"])
        except BaseException as exc:  # reported to the test's thread
            failures.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join(30)
    assert failures == []
    assert target.read_text() == "one\ntwo\n"


def test_a_descriptor_path_is_written_as_a_stream() -> None:
    read_end, write_end = os.pipe()
    write_atomic(Path(f"/dev/fd/{write_end}"), "through the pipe\n")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        assert pipe.read() == b"through the pipe\n"


def test_a_descriptor_that_is_not_open_is_a_clear_error() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.close(write_end)  # the number is free now: /dev/fd/N names nothing
    with pytest.raises(CmhcostError, match=rf"/dev/fd/{write_end}: cannot write: "):
        write_atomic(Path(f"/dev/fd/{write_end}"), "x\n")


def test_a_pipe_whose_reader_went_away_is_pipe_closed() -> None:
    read_end, write_end = os.pipe()

    def pieces() -> Iterator[str]:
        os.close(read_end)  # `--output /dev/stdout | head -1`: the reader leaves mid-write
        yield "report\n"

    try:
        with pytest.raises(atomic.PipeClosed):
            write_atomic(Path(f"/dev/fd/{write_end}"), pieces())
    finally:
        os.close(write_end)


def test_a_full_device_is_not_written_and_says_why() -> None:
    with pytest.raises(CmhcostError, match="/dev/full: not written: No space left on device"):
        write_atomic(Path("/dev/full"), "report\n")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dev_null_is_written_as_a_stream_and_stays_a_device() -> None:
    write_atomic(Path(os.devnull), ["discarded\n", b"bytes too\n"])
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # never replaced by a regular file
