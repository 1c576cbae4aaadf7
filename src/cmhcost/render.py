"""Rendering of results for people (rich) and for machines (markdown, CSV, JSON)."""

from __future__ import annotations

from functools import cache

from rich.console import Console


@cache
def error_console() -> Console:
    """The console for messages and warnings: standard error, colour only on a terminal."""
    return Console(stderr=True, soft_wrap=True)
