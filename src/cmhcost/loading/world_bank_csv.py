"""A World Bank indicator as its bulk download gives it: one row per country, one column per year.

The `API_<indicator>_DS2_en_csv_v2_*.csv` file of data.worldbank.org: a few preamble lines
("Data Source", "Last Updated Date"), then `"Country Name","Country Code","Indicator Name",
"Indicator Code","1960",...`. Country codes are ISO 3166-1 alpha-3; rows that are not countries
(regions, income groups) are left out. An indicator of annual changes (`...ZG`, "annual %") is read
as percentages, any other (a deflator's level, `NY.GDP.DEFL.ZS`) as index levels. Every problem is
reported with its file and line.
"""

from __future__ import annotations

import csv
from functools import cache

from cmhcost.domain.errors import DatasetError, Problem

HEADER = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")


def is_world_bank_csv(text: str) -> bool:
    """Whether `text` looks like a World Bank bulk download."""
    return any(line.startswith('"Country Name","Country Code"') for line in text.splitlines()[:10])


@cache
def alpha2() -> dict[str, str]:
    """ISO 3166-1 alpha-3 codes to alpha-2, for every country."""
    import pycountry

    return {c.alpha_3: c.alpha_2 for c in pycountry.countries}


def parse_world_bank_csv(
    text: str, file: str
) -> tuple[str, str, dict[str, list[tuple[int, str, str]]], list[Problem]]:
    """The kind (`pct` or `index`), the indicator's description, and each country's rows
    (line, year, value) of the non-empty cells, with the problems found."""
    problems: list[Problem] = []
    lines = list(csv.reader(text.splitlines()))
    start = next((i for i, row in enumerate(lines) if tuple(row[:4]) == HEADER), None)
    if start is None:
        raise DatasetError([Problem(file, 1, "-", "header", "no World Bank header row")])
    years = [cell.strip() for cell in lines[start][4:]]
    by_country: dict[str, list[tuple[int, str, str]]] = {}
    codes: set[str] = set()
    for number, row in enumerate(lines[start + 1 :], start + 2):
        if len(row) < 4:
            continue
        code, indicator = row[1].strip(), row[3].strip()
        codes.add(indicator)
        country = alpha2().get(code)
        if country is None:
            continue  # a region or an income group, not a country
        # A row may stop short of the last year: its missing years are empty, as in the source.
        pairs = zip(years, row[4:], strict=False)
        cells = [(year, value.strip()) for year, value in pairs if value.strip()]
        by_country[country] = [(number, year, value) for year, value in cells if year]
    if len(codes) > 1:
        message = f"more than one indicator in one file: {', '.join(sorted(codes))}"
        problems.append(Problem(file, start + 1, "-", "Indicator Code", message))
    indicator = next(iter(codes), "?")
    name = next((row[2] for row in lines[start + 1 :] if len(row) > 3), "")
    kind = "pct" if indicator.endswith(".ZG") or "annual %" in name else "index"
    return kind, f"{name} ({indicator})", by_country, problems
