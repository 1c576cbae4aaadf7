"""Where the shipped data lives, and writing files so that a failure never leaves half a file."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write text (or pieces of it) to a temporary file beside `path`, sync it, then rename it over."""
    import tempfile

    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines([text] if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write bytes (a drawing, a workbook) the same way: whole or not at all."""
    import tempfile

    path = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def shipped_services() -> Path:
    """The services file that comes with cmhcost."""
    return _packaged("services.yaml")


def shipped_rates() -> Path:
    """The exchange-rates file that comes with cmhcost."""
    return _packaged("exchange_rates.yaml")


def _packaged(name: str) -> Path:
    installed = Path(__file__).resolve().parent / "data" / name
    return installed if installed.exists() else DATA_DIR / name
