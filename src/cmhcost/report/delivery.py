"""Where a report goes: standard output, a file (`--output`) or a comparison with one (`--check`).

The one path every report-printing command takes, so `--format`, `--output` and `--check` mean the
same everywhere. Standard library only; the chosen format's module loads when the report is drawn.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cmhcost.domain.errors import CmhcostError, UsageError
from cmhcost.report import OutputFormat
from cmhcost.report.atomic import PipeClosed as PipeClosed
from cmhcost.report.atomic import write_atomic

if TYPE_CHECKING:
    from cmhcost.report.interface import Chunks, Display, Formatter

FILE_WIDTH = 100  # columns of a table written to a file or checked against one
TERMINAL_FALLBACK = (80, 24)
DIFF_LINES = 40  # lines of a --check difference shown before the rest is counted


@dataclass(frozen=True)
class Destination:
    """What the user asked to be done with a report."""

    format: OutputFormat = OutputFormat.TABLE
    output: Path | None = None
    check: Path | None = None

    def __post_init__(self) -> None:
        # typer hands over a checked format as its value or as the member, by version
        object.__setattr__(self, "format", OutputFormat(self.format))
        if self.output is not None and self.check is not None:
            raise UsageError(
                "--output and --check exclude each other: --check compares the report with a "
                "file and writes nothing; --output writes it"
            )


def deliver(
    destination: Destination,
    render: Callable[[Formatter], Chunks],
    inputs: Iterable[Path] = (),
    say: Callable[[str], None] = print,
) -> None:
    """Draw the report in the chosen format and send it where it was asked to go."""
    from cmhcost.report.interface import Display

    to_file = destination.output or destination.check
    display = Display(FILE_WIDTH, False) if to_file else _terminal()
    chunks = render(destination.format.formatter(display))
    if destination.check is not None:
        check(destination.check, _bytes(chunks), say)
    elif destination.output is not None:
        write_atomic(destination.output, _bytes_pieces(chunks), inputs)
        say(f"wrote {destination.output}")
    else:
        to_stdout(chunks)


def _terminal() -> Display:
    from cmhcost.report.interface import Display

    wanted = sys.stdout.isatty() or "FORCE_COLOR" in os.environ
    color = wanted and "NO_COLOR" not in os.environ
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower()
    return Display(shutil.get_terminal_size(TERMINAL_FALLBACK).columns, color, encoding)


def _bytes_pieces(chunks: Chunks) -> Iterable[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def _bytes(chunks: Chunks) -> bytes:
    return b"".join(_bytes_pieces(chunks))


def to_stdout(chunks: Chunks) -> None:
    """Write the pieces to standard output; a closed pipe ends the command quietly."""
    try:
        for chunk in chunks:
            if isinstance(chunk, str):
                sys.stdout.write(chunk)
            else:
                sys.stdout.flush()
                sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise PipeClosed from None
    except UnicodeEncodeError as exc:
        _silence_stdout()
        raise CmhcostError(
            f"standard output takes {exc.encoding} text only and the report holds "
            f"{exc.object[exc.start : exc.end]!r}: set PYTHONIOENCODING=utf-8 (or a UTF-8 "
            "locale), or write the report to a file with --output"
        ) from None
    except OSError as exc:
        _silence_stdout()
        raise CmhcostError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file descriptor (in memory, or closed)
        pass


def check(path: Path, expected: bytes, say: Callable[[str], None]) -> None:
    """Exit 1 with a diff when the file differs from the report."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = b""
    except OSError as exc:
        raise CmhcostError(f"{path}: {exc.strerror or exc}") from None
    if current == expected:
        say(f"{path} is up to date")
        return
    old = current.decode("utf-8", "replace").splitlines()
    new = expected.decode("utf-8", "replace").splitlines()
    lines = list(difflib.unified_diff(old, new, str(path), "regenerated", lineterm="", n=1))
    more = [f"... ({len(lines) - DIFF_LINES} more diff lines)"] if len(lines) > DIFF_LINES else []
    raise CmhcostError(
        "\n".join(
            [
                *lines[:DIFF_LINES],
                *more,
                f"{path} is out of date: regenerate it with the same command and --output",
            ]
        )  # fmt: skip
    )
