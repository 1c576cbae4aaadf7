"""Text from data files made harmless where it lands: a terminal, a spreadsheet, XML or markdown.

Names, labels, quotes and sources come from files anyone can write. Each output applies one of
these functions to such text, so that no escape sequence reaches a terminal, no formula or link
reaches a spreadsheet, no control character breaks an XML document and no HTML or link syntax is
rendered from markdown. (The HTML report escapes with `html.escape`, as it always has.)
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# C0 controls, DEL and C1 controls: ESC starts a terminal escape sequence, CR overwrites a line.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula
MARKDOWN_SPECIAL = re.compile(r"([\\`<>\[\]|])")  # HTML, links, code spans, table cells


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1] if match.group() != "\\" else "\\\\"


def for_terminal(text: str) -> str:
    """Control characters shown as escapes (`\\x1b`), never sent; a line break stays."""
    return CONTROL.sub(lambda m: "\n" if m.group() == "\n" else _escaped(m), text)


def for_xml(text: str) -> str:
    """Text without the characters an XML 1.0 document may not hold (tab and line breaks stay)."""
    return NOT_IN_XML.sub("", text)


def for_spreadsheet(text: str) -> str:
    """Text for a spreadsheet cell written as a string: no control characters."""
    return for_xml(text)


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as written: text that would start a formula gets a leading
    apostrophe (the OWASP rule); numbers, and text that is a number, stay as they are. A carriage
    return becomes a line break, which the CSV writer quotes (it leaves a lone CR bare)."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite() and text.strip() == text
    except InvalidOperation:
        return False


# What GitHub's markdown turns into a link with no link syntax at all: `scheme://`, `www.` and an
# address's `@`. A backslash before the punctuation leaves the text as it reads, but unlinked.
AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<=\bwww)(\.)|(@)", re.IGNORECASE)


def for_markdown(text: str) -> str:
    """Text that renders as itself, on one line: no HTML, link, code span or table cell break."""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", for_terminal(text).replace("\n", " "))
    return AUTOLINK.sub(lambda m: "\\" + m.group(0), escaped)
