"""A cache of rendered reports: the same inputs and options give the same bytes, read from disk.

The key is a digest of the options, the contents of every input file and the code itself, so a
changed file or a new version of cmhcost never reads an old report. Set CMHCOST_NO_CACHE=1 to turn
it off, CMHCOST_CACHE_DIR to move it. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

KEEP = 64
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where reports are kept, or None when caching is off."""
    if os.environ.get("CMHCOST_NO_CACHE"):
        return None
    if os.environ.get("CMHCOST_CACHE_DIR"):
        return Path(os.environ["CMHCOST_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cmhcost"


def report_key(files: Iterable[Path], options: dict[str, object]) -> str | None:
    """A digest of the options, the input files' bytes and the code; None if a file is unreadable."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    for source in sorted(_PACKAGE.glob("*.py")):
        stat = source.stat()
        digest.update(f"{source.name}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    try:
        for path in files:
            digest.update(str(path).encode() + b"\0" + Path(path).read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def load(key: str) -> str | None:
    """The report stored under `key`, if any."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / f"{key}.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def store(key: str, text: str) -> None:
    """Keep a report under `key`, and only the most recent reports."""
    folder = cache_dir()
    if folder is None:
        return
    from cmhcost.files import write_atomic

    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.txt", text)
        entries = sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
