"""Exchange-rates files: read in one checked pass, written in the compact layout.

The layout names each long source and method once at the top and gives a set on one line, its rates
as one string of code-rate pairs, so that the 140 sets of the shipped file are a few hundred YAML
values rather than ten thousand:

    version: 1
    sources:
      ecb: "European Central Bank euro foreign exchange reference rates"
    sets:
      - {date: 2021-02-01, base: EUR, source: ecb, method: "...", rates: "GBP 0.882 USD 1.2084"}

A set may also give its rates as a mapping (`rates: {USD: "1.2084"}`) and its source and method as
text. Every set is checked as it is read: no duplicate set, one rate per currency and day, a base
that is an ISO 4217 code and never converts through itself, no empty set or file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from cmhcost.conversion.exchange import PIVOT
from cmhcost.domain.errors import DatasetError, Problem, named
from cmhcost.domain.money import all_rates, check_rate
from cmhcost.domain.rules import check_year, unknown_keys
from cmhcost.schema.rates import CODE, RateSet, RatesFile

if TYPE_CHECKING:
    from cmhcost.loading.yamldoc import YamlDocument

TOP_KEYS = ("version", "sources", "methods", "sets")
SET_KEYS = ("date", "base", "source", "method", "rates")


class _Reader:
    """One pass over a rates file's data, noting each problem with its line."""

    def __init__(self, doc: Any, file: str) -> None:
        self.doc, self.file = doc, file
        self.problems: list[Problem] = []
        self.known = {PIVOT}

    def problem(self, loc: tuple[int | str, ...], field: str, message: str) -> None:
        record = f"sets[{loc[1]}]" if len(loc) > 1 and loc[0] == "sets" else "-"
        self.problems.append(Problem(self.file, self.doc.line_of(loc), record, field, message))

    def line(self, index: int) -> int:
        return int(self.doc.line_of(("sets", index)))

    def names(self, data: dict[str, Any], key: str) -> dict[str, str]:
        found = data.get(key, {})
        if not isinstance(found, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in found.items()
        ):
            self.problem((key,), key, "must map short names to non-empty texts")
            return {}
        return found

    def rate_set(self, index: int, raw: Any, names: Mapping[str, dict[str, str]]) -> RateSet | None:
        at = ("sets", index)
        if not isinstance(raw, dict):
            self.problem(at, "-", "a set must be a mapping of date, base, source, method, rates")
            return None
        before = len(self.problems)
        for key, message in unknown_keys(raw, SET_KEYS):
            self.problem((*at, key), key, message)
        for key in SET_KEYS:
            if key not in raw:
                self.problem(at, key, "missing")
        day = self.day(at, raw.get("date"))
        base = self.code(at, "base", raw.get("base"))
        source = self.text(at, "source", raw.get("source"), names["sources"])
        method = self.text(at, "method", raw.get("method"), names["methods"])
        rates = self.rates(at, raw.get("rates"))
        self.known |= rates.keys()
        if base is not None and base in rates:
            self.problem((*at, "rates"), "rates", f"{base} is the set's base: a base has no rate")
        if len(self.problems) > before or day is None or base is None:
            return None
        return RateSet.model_construct(
            date=day, base=base, source=source, method=method, rates=rates
        )

    def day(self, at: tuple[int | str, ...], value: Any) -> dt.date | None:
        found = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
        if isinstance(value, str):
            try:
                found = dt.date.fromisoformat(value)
            except ValueError:
                pass
        if found is not None:
            try:
                return dt.date(check_year(found.year), found.month, found.day)
            except ValueError as exc:
                self.problem((*at, "date"), "date", str(exc))
                return None
        if value is not None:
            self.problem((*at, "date"), "date", f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    def code(self, at: tuple[int | str, ...], key: str, value: Any) -> str | None:
        from cmhcost.domain.codes import check_currency

        if value is None:
            return None
        if value in self.known:  # a code the file itself converts: no need to load ISO 4217
            return str(value)
        try:
            return check_currency(str(value))
        except ValueError as exc:
            self.problem((*at, key), key, str(exc))
            return None

    def text(self, at: tuple[int | str, ...], key: str, value: Any, named: dict[str, str]) -> str:
        if not isinstance(value, str) or not value.strip():
            if value is not None:
                self.problem((*at, key), key, "must be a non-empty text")
            return ""
        return named.get(value, value)

    def rates(self, at: tuple[int | str, ...], value: Any) -> dict[str, Decimal]:
        if isinstance(value, str) and (good := _good_rates(value)) is not None:
            return good
        loc = (*at, "rates")
        pairs = list(_pairs(value)) if isinstance(value, (str, dict)) else None
        if pairs is None:
            if value is not None:
                self.problem(loc, "rates", "must be a mapping or a text of code-rate pairs")
            return {}
        if not pairs:
            self.problem(loc, "rates", "no rates: a set gives at least one")
        rates: dict[str, Decimal] = {}
        for code, text in pairs:
            rate = _decimal(text)
            where = (*loc, code) if isinstance(value, dict) else loc
            if not isinstance(code, str) or not CODE.fullmatch(code):
                self.problem(where, "rates", f"{code!r} is not a three-letter currency code")
            elif code in rates:
                self.problem(where, "rates", f"{code}: given twice in the set")
            elif rate is None:
                self.problem(where, "rates", f"{code}: {text!r} is not a number")
            elif (wrong := _wrong_rate(rate)) is not None:
                self.problem(where, "rates", f"{code}: {wrong}")
            else:
                rates[code] = rate
        return rates


def _good_rates(text: str) -> dict[str, Decimal] | None:
    """The rates of a well-formed text of code-rate pairs, checked at once; None when any pair
    needs the checks one by one to say what is wrong with it."""
    words = text.split()
    codes, numbers = words[::2], words[1::2]
    if not codes or len(codes) != len(numbers) or len(set(codes)) != len(codes):
        return None
    if not all(map(CODE.fullmatch, codes)):
        return None
    rates = all_rates(numbers)
    return None if rates is None else dict(zip(codes, rates, strict=True))


def _wrong_rate(rate: Decimal) -> str | None:
    """Why `rate` is not a rate cmhcost computes with, or None."""
    try:
        check_rate(rate)
    except ValueError as exc:
        return str(exc)
    return None


def _pairs(value: str | dict[Any, Any]) -> Iterator[tuple[Any, Any]]:
    if isinstance(value, dict):
        yield from value.items()
        return
    words = value.split()
    if len(words) % 2:
        words.append("")
    yield from zip(words[::2], words[1::2], strict=True)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def parse_rates(text: str, file: str = "<text>") -> RatesFile:
    """Parse and check an exchange-rates file; raise DatasetError listing every problem in it."""
    return _parsed(text, file)[0]


def parse_rates_with_lines(
    text: str, file: str = "<text>"
) -> tuple[RatesFile, list[tuple[int, int]]]:
    """The checked rates file and the first and last line of each of its sets."""
    rates, doc = _parsed(text, file)
    return rates, [doc.lines_of(("sets", index)) for index in range(len(rates.sets))]


def _parsed(text: str, file: str) -> tuple[RatesFile, YamlDocument]:
    """The checked rates file and its document (whose lines cost a second reading of the text)."""
    from cmhcost.loading.yamldoc import read_yaml

    doc = read_yaml(text)
    reader = _Reader(doc, file)
    for issue in doc.issues:
        path = issue.path
        record = f"sets[{path[1]}]" if len(path) > 1 and path[0] == "sets" else "-"
        field = str(path[2]) if len(path) > 2 else (str(path[0]) if len(path) == 1 else "-")
        reader.problems.append(Problem(file, issue.line, record, field, issue.message))
    data = doc.data
    if not isinstance(data, dict):
        if not reader.problems:
            reader.problem((), "-", "the file must be a mapping with a 'sets' list")
        raise DatasetError(reader.problems)
    for key, message in unknown_keys(data, TOP_KEYS, "top-level key"):
        reader.problem((key,), key, message)
    if data.get("version", 1) != 1:
        reader.problem(("version",), "version", "only version 1 is understood")
    names = {key: reader.names(data, key) for key in ("sources", "methods")}
    raw_sets = data.get("sets")
    if not isinstance(raw_sets, list) or not raw_sets:
        reader.problem(("sets",), "sets", "must be a list of at least one rate set")
        raw_sets = []
    sets = [reader.rate_set(i, raw, names) for i, raw in enumerate(raw_sets)]
    _check_together(reader, sets)
    if reader.problems:
        raise DatasetError(reader.problems)
    return RatesFile.model_construct(version=1, sets=tuple(s for s in sets if s is not None)), doc


def _check_together(reader: _Reader, sets: list[RateSet | None]) -> None:
    """Across sets: no duplicate set, one rate per currency and day, no conversion cycle.

    A file holds thousands of rates: each set is checked against what came before with set
    operations on its codes, not rate by rate."""
    seen_sets: dict[tuple[str, dt.date, str, str], int] = {}
    on_day: dict[dt.date, dict[str, int]] = {}  # the first set to give each code on each day
    by_base: dict[str, dict[str, int]] = {}  # the first set to give each code against each base
    for index, rate_set in enumerate(sets):
        if rate_set is None:
            continue
        at = ("sets", index)
        key = (rate_set.base, rate_set.date, rate_set.source, rate_set.method)
        if key in seen_sets:
            first = reader.line(seen_sets[key])
            message = f"the same date, base, source and method as the set at line {first}"
            reader.problem(at, "date", f"duplicate set: {message}")
            continue
        seen_sets[key] = index
        day = on_day.setdefault(rate_set.date, {})
        for code in [code for code in rate_set.rates if code in day]:
            given = sets[day[code]]
            assert given is not None
            reader.problem(
                (*at, "rates"),
                "rates",
                f"{code} on {rate_set.date} is also given at line {reader.line(day[code])} "
                f"({given.source}); which wins is unclear: keep one here and put the one "
                f"that should win in a later {named('rates layer')}",
            )
        day.update(dict.fromkeys(rate_set.rates.keys() - day.keys(), index))
        edges = by_base.setdefault(rate_set.base, {})
        edges.update(dict.fromkeys(rate_set.rates.keys() - edges.keys(), index))
    bases: dict[str, dict[str, int]] = {}
    for base, edges in by_base.items():
        for code, index in edges.items():
            bases.setdefault(code, {})[base] = index
    for cycle, index in _cycles(bases):
        reader.problem(
            ("sets", index, "base"),
            "base",
            f"{' -> '.join(cycle)}: a currency converts through itself",
        )


def _cycles(bases: dict[str, dict[str, int]]) -> Iterator[tuple[list[str], int]]:
    """Each chain of bases that leads back to where it started, once per cycle: one depth-first
    walk that visits every currency and every base once (time linear in the sets)."""
    done: set[str] = set()
    for start in sorted(bases):
        if start in done:
            continue
        path, on_path = [start], {start: 0}
        stack = [iter(sorted(bases[start].items()))]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                finished = path.pop()
                del on_path[finished]
                done.add(finished)
                continue
            base, index = step
            if base in on_path:
                yield [*path[on_path[base] :], base], index
            elif base not in done and base in bases:
                on_path[base] = len(path)
                path.append(base)
                stack.append(iter(sorted(bases[base].items())))


def dump_rates(rates: RatesFile, header: str = "", names: Mapping[str, str] | None = None) -> str:
    """Rates in the compact layout: a set a line, texts in `names` (text -> key) named at the top."""
    named = dict(names or {})
    used = {s.source for s in rates.sets} | {s.method for s in rates.sets}
    lines = [header.rstrip("\n")] if header else []
    lines.append("version: 1")
    for key, pick in (("sources", "source"), ("methods", "method")):
        texts = sorted({getattr(s, pick) for s in rates.sets} & set(named) & used)
        if texts:
            lines.append(f"{key}:")
            lines += [f"  {named[t]}: {_quoted(t)}" for t in texts]
    lines.append("sets:")
    lines += [f"  - {set_line(s, named)}" for s in rates.sets]
    return "\n".join(lines) + "\n"


def set_line(rates: RateSet, named: Mapping[str, str] | None = None) -> str:
    """One set as a flow mapping on one line; texts in `named` (text -> key) by their key."""
    known = named or {}
    pairs = " ".join(f"{code} {rate}" for code, rate in sorted(rates.rates.items()))
    source = known.get(rates.source) or _quoted(rates.source)
    method = known.get(rates.method) or _quoted(rates.method)
    return (
        f"{{date: {rates.date.isoformat()}, base: {rates.base}, source: {source}, "
        f'method: {method}, rates: "{pairs}"}}'
    )


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
