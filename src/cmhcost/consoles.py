"""The two consoles: reports to standard output, messages to standard error."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from rich.console import Console


@cache
def error_console() -> Console:
    """The console for messages and warnings: standard error, colour only on a terminal."""
    return Console(stderr=True, soft_wrap=True, highlight=False)


def output_console(file: Any = None, width: int | None = None) -> Console:
    """The console for reports: colour only on a terminal, NO_COLOR honoured."""
    return Console(
        file=file, width=width, no_color="NO_COLOR" in os.environ or None, highlight=False
    )
