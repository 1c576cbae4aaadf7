"""The user's rates file as a ledger: rates are appended or edited in place under a file lock.

`rates add` and `rates update` change the file through `record`: it holds an exclusive lock on a
lock file beside it while it reads, changes and writes, so runs at the same time wait for each
other and lose nothing. The user's comments and layout stay: a new set is a line appended to the
file, a changed set is rewritten on its own lines. Nothing is written that cmhcost's own reader
would refuse: the new text is read back with the reader's rules before it replaces the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cmhcost.domain.errors import CmhcostError, DatasetError, UsageError, named
from cmhcost.loading.rates_file import dump_rates, parse_rates_with_lines, set_line
from cmhcost.schema.rates import RateSet, RatesFile

USER_HEADER = (
    "# Exchange rates added with `cmhcost rates add` or fetched with `cmhcost rates update`.\n"
    "# They take precedence over the rates shipped with cmhcost on the same date.\n"
)


@dataclass
class Recorded:
    """What `record` did: the rates it replaced (said to the user either way)."""

    replaced: list[str] = field(default_factory=list)
    comments_dropped: bool = False


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`'s lock file (a file beside it) for the block."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise CmhcostError(
            f"{path}: cannot write the rates file there: {exc.strerror or exc} "
            f"({path.parent}); name another {named('rates file')}"
        ) from None
    try:
        try:
            import fcntl
        except ImportError:  # not a POSIX system: no lock
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def record(path: Path, new: RateSet, replace: bool, write: Callable[[Path, str], None]) -> Recorded:
    """Put `new` in the rates file at `path` under its lock; `write` replaces the file atomically.

    A set of the same day, base and source takes `new`'s rates over its own. A rate of the same
    currency and day from another source is refused unless `replace`; replaced rates are listed.
    """
    with locked(path):
        text = _stored_text(path)
        done = Recorded()
        new_text = _changed(path, text, new, replace, done)
        try:
            parse_rates_with_lines(new_text, str(path))
        except DatasetError as exc:
            raise CmhcostError(
                f"{path}: not written: the rate would not read back:\n{exc}"
            ) from None
        write(path, new_text)
    return done


def _stored_text(path: Path) -> str:
    from cmhcost.loading.reader import read_text

    try:
        return read_text(path) if path.exists() else ""
    except DatasetError as exc:
        raise unreadable_user_layer(path, exc) from None


def unreadable_user_layer(path: Path, exc: DatasetError) -> CmhcostError:
    """The problems of the user's rates file, with how to repair it."""
    return CmhcostError(
        f"{exc}\n{path} is your own rates file (the user layer, written by `cmhcost rates add` and "
        "`rates update`): correct or delete the lines named above, or move the file aside "
        "to start afresh; commands that need no rates (services, show, schema) still run"
    )


def _changed(path: Path, text: str, new: RateSet, replace: bool, done: Recorded) -> str:
    if not text.strip():
        return (text or USER_HEADER) + dump_rates(RatesFile(sets=(new,)))
    try:
        stored, spans = parse_rates_with_lines(text, str(path))
    except DatasetError as exc:
        raise unreadable_user_layer(path, exc) from None
    lines = text.splitlines()
    starts = [first for first, _ in spans[1:]] + [len(lines) + 1]
    spans = [
        (first, min(last, after - 1)) for (first, last), after in zip(spans, starts, strict=True)
    ]
    edits: dict[int, RateSet | None] = {}
    for index, old in enumerate(stored.sets):
        if old.date != new.date:
            continue
        if (old.base, old.source) == (new.base, new.source):
            new = new.model_copy(update={"rates": {**old.rates, **new.rates}})
            edits[index] = None
            continue
        taken = sorted(old.rates.keys() & new.rates.keys())
        if taken:
            _refuse_unless(replace, new, old, taken, spans[index][0], path)
            done.replaced += [f"{code} on {old.date} from {old.source}" for code in taken]
            kept = {c: r for c, r in old.rates.items() if c not in taken}
            edits[index] = old.model_copy(update={"rates": kept}) if kept else None
    indent = _indent(text, spans)
    for index in sorted(edits, reverse=True):
        first, last = _trimmed(lines, *spans[index])
        changed = edits[index]
        lines[first - 1 : last] = [indent + set_line(changed)] if changed is not None else []
    result = "\n".join([*lines, indent + set_line(new)]) + "\n"
    changed_sets = (edits[i] if i in edits else s for i, s in enumerate(stored.sets))
    expected = [*(s for s in changed_sets if s is not None), new]
    if _sets_of(result, path) != _keys(expected):  # a layout the line edits do not fit
        done.comments_dropped = True
        return dump_rates(RatesFile(sets=tuple(expected)), _leading_comments(text))
    return result


def _indent(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """What comes before the set on the first set's line (`  - ` in cmhcost's layout)."""
    line = text.splitlines()[spans[0][0] - 1] if spans else ""
    head = line[: len(line) - len(line.lstrip(" -"))]
    return head if head.endswith("- ") else "  - "


def _refuse_unless(
    replace: bool, new: RateSet, old: RateSet, taken: Sequence[str], line: int, path: Path
) -> None:
    if replace:
        return
    raise UsageError(
        f"{', '.join(taken)} on {new.date} is already stored from {old.source!r} "
        f"({path}:{line}); to put this rate in its place, {named('replace it')}"
    )


def _trimmed(lines: list[str], first: int, last: int) -> tuple[int, int]:
    """A set's lines without the blank or comment lines that follow it."""
    while last > first and (
        not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")
    ):
        last -= 1
    return first, last


def _keys(sets: Sequence[RateSet]) -> list[tuple[object, ...]]:
    return sorted(
        (s.date, s.base, s.source, s.method, tuple(sorted(s.rates.items()))) for s in sets
    )


def _sets_of(text: str, path: Path) -> list[tuple[object, ...]] | None:
    try:
        return _keys(parse_rates_with_lines(text, str(path))[0].sets)
    except DatasetError:
        return None


def _leading_comments(text: str) -> str:
    kept = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        kept.append(line)
    return "\n".join(kept)
