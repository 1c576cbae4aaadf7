"""A user's own price index (a GDP deflator, a health-sector index) read from a small CSV or YAML file.

CSV: optional `# country: GB` and `# source: ...` lines, a header `year,index` (levels) or `year,pct`
(annual % changes), then one year a line. YAML: `country`, `source`, and `index:` or `pct:` mapping
years to values. Every problem is reported with its file and line; values stay exact decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cmhcost.conversion.prices import Indicator, IndicatorKind
from cmhcost.domain.errors import DatasetError, Problem
from cmhcost.domain.limits import EARLIEST_YEAR, LATEST_YEAR
from cmhcost.domain.money import check_number
from cmhcost.domain.rules import unknown_keys

KINDS = ("index", "pct")
YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: no footnote marks (2020²), no signs


@dataclass(frozen=True)
class UserIndex:
    """A price index from a file: its values by year, what they are, whom they are for."""

    kind: str  # "index" (levels) or "pct" (annual % changes)
    values: dict[int, str]
    source: str
    country: str | None = None
    by_country: dict[str, dict[int, str]] = field(default_factory=dict)  # a table of countries

    def for_country(self, country: str) -> Indicator:
        """The index as the price index of `country`."""
        return Indicator(
            f"own index ({self.kind})",
            self.source,
            "user file",
            {country: self.by_country.get(country, self.values)},
            IndicatorKind(self.kind),
        )

    def indices(self, default: str | None) -> dict[str, Indicator]:
        """The price index of each country the file covers (`default` for a one-country file)."""
        if self.by_country:
            return {country: self.for_country(country) for country in self.by_country}
        whose = self.country or default
        return {} if whose is None else {whose: self.for_country(whose)}


def load_index(path: Path) -> UserIndex:
    """Read and check a user index file (CSV or YAML by its suffix)."""
    from cmhcost.loading.reader import read_text

    text = read_text(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return parse_yaml_index(text, str(path))
    from cmhcost.loading.world_bank_csv import is_world_bank_csv

    if is_world_bank_csv(text):
        return parse_world_bank_index(text, str(path))
    if "\ncountry,year,value" in text:  # a table as shipped, or as `prices update` writes it
        return parse_table_index(text, str(path))
    return parse_csv_index(text, str(path))


def parse_table_index(text: str, file: str = "<text>") -> UserIndex:
    """A table of countries in the shipped format (`# indicator: ...`, then country,year,value)."""
    meta: dict[str, str] = {}
    rows: dict[str, list[tuple[int, str, str]]] = {}
    problems: list[Problem] = []
    lines = enumerate(text.splitlines(), 1)
    for _, line in lines:
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
        elif line.strip() == "country,year,value":
            break
    for number, line in lines:
        country, year, value = [*line.split(",", 2), "", ""][:3]
        rows.setdefault(country.strip(), []).append((number, year.strip(), value.strip()))
    code = meta.get("indicator", "")
    kind = "pct" if code.endswith(".ZG") else "index"
    by_country: dict[str, dict[int, str]] = {}
    for country, cells in rows.items():
        try:
            by_country[country] = _checked(kind, cells, {"country": country}, file, []).values
        except DatasetError as exc:
            problems += [replace(p, record=country) for p in exc.problems]
    if problems or not by_country:
        raise DatasetError(problems or [Problem(file, 1, "-", "-", "no values")])
    source = f"{meta.get('source', Path(file).name)}, {code} ({meta.get('vintage', '?')})"
    return UserIndex(kind, {}, source, None, by_country)


def parse_world_bank_index(text: str, file: str = "<text>") -> UserIndex:
    """A World Bank bulk download (one row per country) as an index of every country in it."""
    from cmhcost.loading.world_bank_csv import parse_world_bank_csv

    kind, described, rows, problems = parse_world_bank_csv(text, file)
    by_country: dict[str, dict[int, str]] = {}
    for country, cells in rows.items():
        try:
            by_country[country] = _checked(kind, cells, {}, file, []).values
        except DatasetError as exc:
            problems += [replace(p, record=country) for p in exc.problems]
    if not by_country and not problems:
        problems.append(Problem(file, 1, "-", "-", "no country with a value"))
    if problems:
        raise DatasetError(problems)
    source = f"World Bank, {described}, from {Path(file).name}"
    return UserIndex(kind, {}, source, None, by_country)


def parse_csv_index(text: str, file: str = "<text>") -> UserIndex:
    """Parse the CSV form; raise DatasetError listing every problem."""
    meta: dict[str, str] = {}
    rows: list[tuple[int, str, str]] = []
    kind, problems = None, list[Problem]()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
        elif kind is None:
            kind = line.replace(" ", "").lower().removeprefix("year,")
            if kind not in KINDS:
                message = "the header must be `year,index` (levels) or `year,pct` (annual %)"
                problems.append(Problem(file, number, "-", "header", message))
        else:
            year, _, value = line.partition(",")
            rows.append((number, year.strip(), value.strip()))
    if kind is None:
        problems.append(Problem(file, 1, "-", "-", "no header `year,index` or `year,pct`"))
    return _checked(kind or "pct", rows, meta, file, problems)


def parse_yaml_index(text: str, file: str = "<text>") -> UserIndex:
    """Parse the YAML form; raise DatasetError listing every problem."""
    from cmhcost.loading.yamldoc import read_yaml

    doc = read_yaml(text)
    problems = [Problem(file, i.line, "-", "-", i.message) for i in doc.issues]
    data: Any = doc.data
    if not isinstance(data, dict):
        raise DatasetError([*problems, Problem(file, 1, "-", "-", "expected a mapping")])
    kinds = [k for k in KINDS if k in data]
    for key, message in unknown_keys(data, ("country", "source", *KINDS)):
        problems.append(Problem(file, doc.line_of([key]), "-", key, message))
    if len(kinds) != 1 or not isinstance(data[kinds[0]], dict):
        message = "give one mapping of year to value under `index` (levels) or `pct` (annual %)"
        raise DatasetError([*problems, Problem(file, 1, "-", "-", message)])
    kind = kinds[0]
    rows = [
        (
            doc.line_of([kind, str(year)]),
            str(year),
            doc.scalar_text([kind, str(year)]) or str(value),
        )
        for year, value in data[kind].items()
    ]
    meta = {k: str(data[k]) for k in ("country", "source") if k in data}
    return _checked(kind, rows, meta, file, problems)


def _checked(
    kind: str,
    rows: list[tuple[int, str, str]],
    meta: dict[str, str],
    file: str,
    problems: list[Problem],
) -> UserIndex:
    values: dict[int, str] = {}
    for line, year_text, value in rows:
        message = _row_problem(kind, year_text, value, values)
        if message:
            problems.append(Problem(file, line, "-", year_text or "year", message))
        else:
            values[int(year_text)] = value
    if not problems and len(values) < (2 if kind == "index" else 1):
        problems.append(Problem(file, 1, "-", "-", f"too few years for an {kind}"))
    country = meta.get("country")
    if country is not None:
        from cmhcost.domain.codes import check_country

        try:
            check_country(country)
        except ValueError as exc:
            problems.append(Problem(file, 1, "-", "country", str(exc)))
    if problems:
        raise DatasetError(problems)
    return UserIndex(kind, values, meta.get("source") or file, country)


def _row_problem(kind: str, year: str, value: str, seen: dict[int, str]) -> str | None:
    if not YEAR.fullmatch(year) or not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
        return f"{year!r} is not a year ({EARLIEST_YEAR}-{LATEST_YEAR}, four digits)"
    if int(year) in seen:
        return f"year {year} appears twice"
    try:
        number = check_number(Decimal(value))  # the bounds every number in a YAML file obeys
    except InvalidOperation:
        return f"{value!r} is not a number"
    except ValueError as exc:
        return f"{value!r}: {exc}"
    if kind == "index" and number <= 0:
        return "an index level must be above zero"
    if kind == "pct" and number <= -100:
        return "a price change cannot be -100% or less"
    return None
