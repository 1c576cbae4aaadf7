"""A rich console for text from data files: control characters shown escaped, never sent; only
what the output's encoding holds; ":codes:" left as written."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.segment import Segment

from cmhcost.report.safe_text import for_terminal

if TYPE_CHECKING:
    from cmhcost.report.interface import Display


class _Buffer(io.StringIO):
    """A text buffer that tells rich which encoding the output takes (ASCII boxes if not UTF)."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


ASCII_FALLBACK = str.maketrans({"█": "#", "▒": "=", "│": "|", "▸": ">", "…": "...", "–": "-"})


class SafeConsole(Console):
    """A console that shows control characters from data escaped (never an escape sequence of
    its own making from a file) and writes only what the output's encoding can hold.

    Plain lines said one after another are printed together, in one pass of rich's wrapping,
    before anything else is printed: a report's notes are dozens of lines.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._said: list[str] = []

    @classmethod
    def for_display(cls, display: Display) -> SafeConsole:
        """A console writing into a buffer, for the display a report is made for."""
        color = display.color
        return cls(
            file=_Buffer(display.encoding),
            width=display.width,
            force_terminal=color,
            color_system="auto" if color else None,
            no_color=not color,
            highlight=False,
            emoji=False,  # ":warning:" in a name is text, not an emoji
        )

    def text(self) -> str:
        """All that was printed (and said)."""
        self.flush_said()
        assert isinstance(self.file, _Buffer)
        return self.file.getvalue()

    def say(self, line: str) -> None:
        self._said.append(line)

    def print(self, *objects: Any, **options: Any) -> None:
        self.flush_said()
        super().print(*objects, **options)

    def flush_said(self) -> None:
        if self._said:
            lines, self._said = "\n".join(self._said), []
            super().print(lines, markup=False, highlight=False)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        encoding = self.encoding
        safe = (Segment(_printable(s.text, encoding), s.style, s.control) for s in buffer)
        return super()._render_buffer(safe)


def _printable(text: str, encoding: str) -> str:
    text = for_terminal(text)
    if encoding.replace("-", "").startswith("utf"):
        return text
    text = text.translate(ASCII_FALLBACK)
    return text.encode(encoding, "backslashreplace").decode(encoding)
