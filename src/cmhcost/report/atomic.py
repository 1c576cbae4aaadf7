"""Writing files so that a failure never leaves half a file, nor replaces what it should not."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cmhcost.domain.errors import CmhcostError, UsageError

NEW_FILE_MODE = 0o666  # less the umask, as for any file a program creates
WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def write_atomic(
    path: Path, content: str | Iterable[str] | Iterable[bytes], inputs: Iterable[Path] = ()
) -> None:
    """Replace `path` with `content` all at once, or leave it as it was.

    The content goes to a temporary file beside the target, is synced, then renamed over it and
    the directory synced. A file that is one of `inputs` is refused, and so is one its owner
    could not write; an existing file keeps its mode, a new one gets 0666 less the umask.
    """
    target = Path(os.path.realpath(path))  # through a symbolic link: the link stays
    _refuse_inputs(path, target, inputs)
    mode = _mode_for(path, target)
    try:
        fd, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise CmhcostError(f"{path}: cannot write in {target.parent}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            pieces = [content] if isinstance(content, str) else content
            for piece in pieces:
                handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise CmhcostError(f"{path}: not written: {_reason(exc)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)


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
