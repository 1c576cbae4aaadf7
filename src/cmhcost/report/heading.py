"""The one renderer of a report's heading, stamp and sources, shared by every format.

The engine says what every number is (`engine.heading`) and where each figure was read
(`schema.documents`); these functions only put that into words, records or cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cmhcost.schema.documents import citation

if TYPE_CHECKING:
    from cmhcost.engine.heading import DataFile, ReportHeading, Stamp
    from cmhcost.schema.services import Provenance


def heading_items(heading: ReportHeading) -> list[tuple[str, str]]:
    """What the amounts are, as labelled items (a definition list, a workbook's header rows)."""
    basis = heading.basis.value if heading.basis else "none: each amount in its own price year"
    items = [
        ("Amounts", f"{heading.money}, {heading.per_text}"),
        ("Currency", heading.currency),
        ("Price year", str(heading.price_year) if heading.price_year else "each figure's own"),
        ("Price basis", basis),
        ("Conversion", heading.conversion + "; each row's notes name its factors and sources"),
    ]
    if heading.projections:
        marks = "; ".join(heading.projections)
        items.append(("Projected", f"years past the price index, at its last rate: {marks}"))
    if heading.command:
        items.append(("Command", heading.command))
    return items + stamp_items(heading.stamp)


def _file(item: DataFile) -> str:
    where = "shipped" if item.shipped else "user file"
    return f"{item.name} ({where}, sha256 {item.digest})" if item.digest else item.name


def stamp_items(stamp: Stamp) -> list[tuple[str, str]]:
    """What produced the report, as labelled items."""
    items = [("cmhcost", stamp.version)]
    if stamp.services:
        items.append(("Services data", "; ".join(_file(f) for f in stamp.services)))
    if stamp.rates_to is not None:
        layers = f"; user layers: {', '.join(stamp.rate_layers)}" if stamp.rate_layers else ""
        items.append(("Exchange rates", f"stored up to {stamp.rates_to}{layers}"))
    if stamp.cpi:
        items.append(("Price index", stamp.cpi))
    if stamp.ppp:
        items.append(("PPP", stamp.ppp))
    if stamp.index:
        items.append(("User index", ", ".join(stamp.index)))
    return items


def projection_line(heading: ReportHeading) -> str:
    """The countries whose index was projected past its last year, in one line ('' if none)."""
    if not heading.projections:
        return ""
    return "Projected past the price index, at its last rate: " + "; ".join(heading.projections)


def stamp_line(stamp: Stamp) -> str:
    """The stamp in one line, for a footer."""
    return "; ".join(f"{label}: {value}" for label, value in stamp_items(stamp))


def heading_record(heading: ReportHeading) -> dict[str, Any]:
    """The heading's keys at the top of a JSON report, in the contract's order."""
    return {
        "currency": heading.currency,
        "per": heading.per.value,
        "rates_date": heading.rates_date.isoformat() if heading.rates_date else None,
        "basis": heading.basis.value if heading.basis else None,
        "price_year": heading.price_year,
        "title": heading.title,
        "projections": list(heading.projections),
        "command": heading.command,
        "stamp": stamp_record(heading.stamp),
    }


def stamp_record(stamp: Stamp) -> dict[str, Any]:
    """The stamp as plain data."""
    return {
        "version": stamp.version,
        "services": [
            {"name": f.name, "sha256": f.digest, "shipped": f.shipped} for f in stamp.services
        ],
        "rates_to": stamp.rates_to.isoformat() if stamp.rates_to else None,
        "rate_layers": list(stamp.rate_layers),
        "cpi": stamp.cpi,
        "ppp": stamp.ppp,
        "index": list(stamp.index),
    }


def source_text(source: Provenance | None) -> str:
    """Where a figure was read, as a reader finds it: document, section, lines."""
    return "not given" if source is None else citation(source).text


def quote_text(source: Provenance | None) -> str:
    """Where a figure was read, and the words quoted."""
    if source is None:
        return "no source given"
    return f'{citation(source).text}: "{source.quote}"'


def source_record(source: Provenance) -> dict[str, Any]:
    """A source as plain data: the file locator, section, lines and quote, and the citation."""
    return {**source.model_dump(mode="json"), "citation": citation(source).text}
