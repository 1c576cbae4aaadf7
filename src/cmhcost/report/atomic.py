"""Writing files so that a failure never leaves half a file, nor replaces what it should not.

A regular file (or a new name) is replaced whole: the content goes to a temporary file beside it,
which is renamed over it. A named pipe or a character device (`/dev/null`, a terminal,
`/dev/stdout`) is written to as a stream, never replaced. Anything else is refused.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cmhcost.domain.errors import CmhcostError, UsageError

NEW_FILE_MODE = 0o666  # less the umask, as for any file a program creates
WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
# A short temporary name, whatever the length of the target's: a legal name stays legal.
TEMPORARY_PREFIX, TEMPORARY_SUFFIX = ".cmhcost-", ".tmp"
CLEANED_ON = (signal.SIGTERM, signal.SIGHUP)  # as Ctrl-C (SIGINT) is, through KeyboardInterrupt
STREAM_NAMES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")

Content = str | Iterable[str] | Iterable[bytes]


class PipeClosed(Exception):
    """The reader of standard output (or of a pipe named as output) went away."""


class Terminated(BaseException):
    """A signal asked the process to end while a file was being written."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def write_atomic(path: Path, content: Content, inputs: Iterable[Path] = ()) -> None:
    """Replace `path` with `content` all at once, or leave it as it was.

    The content goes to a temporary file beside the target, is synced, then renamed over it and
    the directory synced. A file that is one of `inputs` is refused, and so is one its owner
    could not write; an existing file keeps its mode, a new one gets 0666 less the umask. A pipe
    or a character device is written in place (see `write_stream`).
    """
    target = Path(os.path.realpath(path))  # through a symbolic link: the link stays
    _refuse_inputs(path, target, inputs)
    if _is_stream(path):
        write_stream(path, content)
        return
    mode = _mode_for(path, target)
    with _signals_end_the_write() as ended:
        _replace(path, target, mode, content, ended)
    _sync_directory(target.parent)


def _replace(path: Path, target: Path, mode: int, content: Content, ended: list[int]) -> None:
    temporary = ""
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=TEMPORARY_PREFIX, suffix=TEMPORARY_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise CmhcostError(f"{path}: cannot write in {target.parent}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            for piece in _pieces(content):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CmhcostError(f"{path}: not written: {_reason(exc)}") from None
    except Terminated as exc:
        Path(temporary).unlink(missing_ok=True)
        ended.append(exc.signum)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _signals_end_the_write() -> Iterator[list[int]]:
    """SIGTERM and SIGHUP raise `Terminated` while the file is written; once its temporary file
    is removed, the signal is delivered again to the handler that was there before."""
    ended: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield ended
        return
    before: dict[signal.Signals, Any] = {}
    for signum in CLEANED_ON:
        handler = signal.getsignal(signum)
        if handler is not signal.SIG_IGN:
            before[signum] = signal.signal(signum, _terminate)
    try:
        yield ended
    finally:
        for caught, handler in before.items():
            signal.signal(caught, handler)
        for number in ended:
            signal.raise_signal(number)


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _pieces(content: Content) -> Iterator[bytes]:
    for piece in [content] if isinstance(content, str) else content:
        yield piece.encode("utf-8") if isinstance(piece, str) else piece


def _is_stream(path: Path) -> bool:
    """A path that names a pipe, a character device or a process's standard stream."""
    if str(path).startswith(STREAM_NAMES):
        return True
    try:
        found = os.stat(path)
    except OSError:
        return False
    if stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode):
        return True
    if stat.S_ISREG(found.st_mode) or stat.S_ISDIR(found.st_mode):
        return False
    raise UsageError(f"{path} is not a regular file, a pipe or a device; name a file")


def write_stream(path: Path, content: Content) -> None:
    """Write to a pipe or a device in place, as a stream: it is never replaced or truncated."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOCTTY)
    except OSError as exc:
        raise CmhcostError(f"{path}: cannot write: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in _pieces(content):
                handle.write(piece)
    except BrokenPipeError:
        raise PipeClosed from None  # `--output /dev/stdout | head -1`: the reader has enough
    except OSError as exc:
        raise CmhcostError(f"{path}: not written: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _refuse_inputs(path: Path, target: Path, inputs: Iterable[Path]) -> None:
    for source in inputs:
        if Path(os.path.realpath(source)) == target:
            raise UsageError(f"{path} is an input of this command ({source}); write elsewhere")


def _mode_for(path: Path, target: Path) -> int:
    """The mode the written file gets; refuse what the user could not write in place."""
    try:
        found = target.stat()
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise CmhcostError(f"{path}: no directory {target.parent}") from None
        umask = os.umask(0)
        os.umask(umask)
        return NEW_FILE_MODE & ~umask
    except OSError as exc:
        raise CmhcostError(f"{path}: {_reason(exc)}") from None
    if stat.S_ISDIR(found.st_mode):
        raise UsageError(f"{path} is a directory; name a file")
    if not found.st_mode & WRITE_BITS or not os.access(target, os.W_OK):
        raise CmhcostError(f"{path} is read-only; not replaced (change its mode to write it)")
    return stat.S_IMODE(found.st_mode)


def _sync_directory(folder: Path) -> None:
    """Make the rename durable: sync the directory that holds the new name."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename is still atomic
    finally:
        os.close(fd)
