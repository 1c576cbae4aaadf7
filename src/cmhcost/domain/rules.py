"""The rules every reader, model and command applies to a value, each written once.

The models (as `Annotated` types), the file readers, `rates add` and the online refresh all call
these, so a value one of them accepts is never refused by another.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Iterator

from cmhcost.domain.limits import EARLIEST_YEAR, LATEST_YEAR

NOT_CHARACTERS = "\ufffe\uffff"  # not characters of Unicode text, nor of YAML


def check_year(year: int) -> int:
    """The year, when it is within the years cmhcost accepts."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"{year}: the year must be from {EARLIEST_YEAR} to {LATEST_YEAR}")
    return year


def check_text(text: str, longest: int) -> str:
    """Text that a file can hold and cmhcost can read back: UTF-8, no control characters, at
    most `longest` characters."""
    if len(text) > longest:
        raise ValueError(f"{len(text):,} characters; at most {longest:,}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"not UTF-8 text (position {exc.start + 1})") from None
    for position, char in enumerate(text, 1):
        if unicodedata.category(char) == "Cc" or char in NOT_CHARACTERS:
            kind = "a control character" if char not in NOT_CHARACTERS else "not a character"
            raise ValueError(f"{kind} (U+{ord(char):04X}) at position {position}")
    return text


def unknown_keys(
    found: Iterable[object], known: Iterable[str], what: str = "key"
) -> Iterator[tuple[str, str]]:
    """Each key of `found` that is not `known`, with a hint: a close name, or the known ones."""
    names = tuple(known)
    for key in sorted({str(k) for k in found} - set(names)):
        near = difflib.get_close_matches(key, names, n=1)
        hint = f"did you mean {near[0]!r}?" if near else f"expected {', '.join(names)}"
        yield key, f"unknown {what} {key!r}; {hint}"
