"""The documents the data quotes, as a reader finds them: title, publisher, place, year, series.

A source names its document by the file the text was read from (`002_b29c8c4125090c1c.txt`):
that name is the machine's locator, never what a reader is shown. `citation` turns a source into
what a reader can follow: the document's title and series, the section and the lines quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmhcost.schema.services import Provenance

SERIES = (
    "Guidance and technical packages on community mental health services: promoting "
    "person-centred and rights-based approaches"
)


@dataclass(frozen=True)
class Document:
    """A published document: what its title page says."""

    title: str
    kind: str  # "guidance", "technical package", "executive summary"
    publisher: str = "World Health Organization"
    place: str = "Geneva"
    year: int = 2021
    series: str = SERIES

    @property
    def reference(self) -> str:
        """The document as a reference list prints it."""
        part = f" ({self.kind}, {self.series})" if self.kind != "guidance" else ""
        return f"{self.title}{part}. {self.place}: {self.publisher}; {self.year}"


# The titles as each text's title page gives them (see the seeds' README and their first lines).
DOCUMENTS = {
    "000_bd0570b0b88d4b63.txt": Document(
        "Guidance and technical packages on community mental health services: executive summary",
        "executive summary",
    ),
    "001_df961555674013ed.txt": Document(
        "Guidance on community mental health services: promoting person-centred and rights-based "
        "approaches (introduction)",
        "guidance",
    ),
    "002_b29c8c4125090c1c.txt": Document(
        "Guidance on community mental health services: promoting person-centred and rights-based "
        "approaches",
        "guidance",
    ),
    "003_33f0edd3451ddacb.txt": Document(
        "Community outreach mental health services: promoting person-centred and rights-based "
        "approaches",
        "technical package",
    ),
    "004_151886dbd2479ba8.txt": Document(
        "Comprehensive mental health service networks: promoting person-centred and rights-based "
        "approaches",
        "technical package",
    ),
}


@dataclass(frozen=True)
class Citation:
    """A source as a reader follows it: the document, the section, the lines and the quote."""

    reference: str  # the document's title, series, place, publisher and year
    section: str
    first: int
    last: int
    quote: str
    locator: str  # the file the text was read from, for machines

    @property
    def lines(self) -> str:
        """`line 12` or `lines 12-14`."""
        return (
            f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"
        )

    @property
    def text(self) -> str:
        """The reference, the section and the lines, in one line."""
        return f"{self.reference}. Section {self.section}, {self.lines}"


def citation(source: Provenance) -> Citation:
    """A source as a reader can follow it; an unknown document is named by its own file name."""
    document = DOCUMENTS.get(source.document)
    reference = document.reference if document else source.document
    first, last = source.lines
    return Citation(reference, source.section, first, last, source.quote, source.document)
