"""A progress bar for long analyses: rich's, on standard error, only where a person watches."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, label: str, wanted: bool) -> Iterator[Callable[[int], None] | None]:
    """A callback that moves the bar to `done`; None (no bar) unless wanted and stderr is a TTY."""
    if not wanted or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)
