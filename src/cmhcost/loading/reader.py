"""Read services and rates files into models, collecting every problem with its file and line."""

from __future__ import annotations

import difflib
import os
import re
import stat
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cmhcost.domain.errors import DatasetError, Problem
from cmhcost.domain.limits import MAX_PROBLEMS_READ
from cmhcost.domain.rules import unknown_keys
from cmhcost.engine.costing import stated_figures, with_derived_figure
from cmhcost.loading.paths import remember
from cmhcost.loading.paths import shipped_rates as shipped_rates
from cmhcost.loading.paths import shipped_services as shipped_services
from cmhcost.loading.rates_file import parse_rates as parse_rates
from cmhcost.loading.yamldoc import MAX_BYTES, Issue, YamlDocument, read_yaml
from cmhcost.loading.yamlscalars import yaml_hint
from cmhcost.schema.dataset import (
    Dataset as Dataset,  # the parser builds it; the engine imports it from records
)
from cmhcost.schema.dataset import iter_figures as iter_figures
from cmhcost.schema.rates import RatesFile
from cmhcost.schema.services import Provenance, Service, Unit

MAX_MESSAGE = 500  # characters of one problem's message
if TYPE_CHECKING:
    from cmhcost.conversion.exchange import RateTable


@dataclass(frozen=True)
class Origin:
    """Where a record was read: its file, its index there and the document to locate lines."""

    file: str
    index: int
    doc: YamlDocument

    def path(self, loc: Sequence[int | str]) -> tuple[int | str, ...]:
        """The path of `loc` inside this record from the top of the document."""
        return ("services", self.index, *loc)

    def line(self, loc: Sequence[int | str]) -> int:
        """The line of `loc` inside this record."""
        return self.doc.line_of(self.path(loc))

    def problem(self, record: str, loc: Sequence[int | str], message: str) -> Problem:
        """A problem at `loc` inside this record."""
        return Problem(self.file, self.line(loc), record, _field_name(loc), _shortened(message))


def read_text(path: Path) -> str:
    """Read a UTF-8 file of at most MAX_BYTES (a pipe too); every failure is a DatasetError."""
    name = str(remember(path))
    too_large = DatasetError(
        [Problem(name, 1, "-", "-", f"file is larger than {MAX_BYTES:,} bytes")]
    )
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
                raise too_large  # refused before it is read
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DatasetError([Problem(name, 1, "-", "-", exc.strerror or str(exc))]) from None
    if len(raw) > MAX_BYTES:
        raise too_large
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        raise DatasetError([Problem(name, line, "-", "-", message)]) from None


def parse_services(text: str, file: str = "<text>") -> Dataset:
    """Parse a services file's text; raise DatasetError listing every problem in it."""
    dataset, problems, unchecked = Dataset(), list[Problem](), [0]

    def take(index: int, raw: Any, issues: list[Issue]) -> None:
        if len(problems) >= MAX_PROBLEMS_READ:  # a flood: one mistake repeated, said enough
            unchecked[0] += 1
            return
        origin = Origin(file, index, doc)
        if issues:
            record = _record_name(raw, index)
            problems.extend(_issue_problem(file, issue, record) for issue in issues)
            return
        service = _validated(raw, origin, problems)
        if service is None:
            return
        if service.id in dataset.services:
            earlier = dataset.origins[service.id]
            first = earlier.line([])
            problems.append(
                origin.problem(service.id, ["id"], f"duplicate record id (first at line {first})")
            )
            return
        problems.extend(check_record(service, origin))
        dataset.add(service, origin)

    doc = YamlDocument(None, text)  # lines are found in the text, when a problem needs one
    read = read_yaml(text, stream=("services", take))
    doc.data = read.data
    problems += _issue_problems(read, file, "services")
    problems += _top_level_problems(doc, file, "services")
    if unchecked[0]:
        message = f"{unchecked[0]:,} more records not checked: correct the problems above first"
        problems.append(Problem(file, doc.line_of(("services",)), "-", "services", message))
    if problems:
        raise DatasetError(sorted(set(problems)))
    return dataset


def _validated(raw: Any, origin: Origin, problems: list[Problem]) -> Service | None:
    """The record as a model (with any budget's unit cost added), or None with its problems noted."""
    record = _record_name(raw, origin.index)
    try:
        return with_derived_figure(Service.model_validate(raw))
    except ValidationError as exc:
        problems.extend(_problem(origin, record, err, Service, raw) for err in exc.errors())
    return None


def _issue_problems(doc: YamlDocument, file: str, key: str) -> list[Problem]:
    """The reader's own findings (syntax, duplicate keys, tags ...) as problems."""
    problems = [_issue_problem(file, issue, _issue_record(doc, issue.path)) for issue in doc.issues]
    if doc.data is None and problems:
        raise DatasetError(problems)
    return problems


def _issue_problem(file: str, issue: Issue, record: str) -> Problem:
    """One finding of the reader, inside a record of a top-level list or at the top level."""
    path = issue.path
    inside = len(path) > 1 and isinstance(path[1], int)
    field = _field_name(path[2:] if inside else path)
    return Problem(file, issue.line, record, field, _shortened(issue.message))


def _top_level_problems(doc: YamlDocument, file: str, key: str) -> list[Problem]:
    """The top level must be a mapping of `version` and a list under `key`."""
    data = doc.data
    if not isinstance(data, dict):
        return [Problem(file, 1, "-", "-", f"the file must be a mapping with a {key!r} list")]
    problems = []
    if not isinstance(data.get(key), list):
        problems.append(Problem(file, doc.line_of([key]), "-", key, f"must be a list of {key}"))
    for name, message in unknown_keys(data, ("version", key), "top-level key"):
        problems.append(Problem(file, doc.line_of([name]), "-", name, message))
    if data.get("version", 1) != 1:
        problems.append(
            Problem(file, doc.line_of(["version"]), "-", "version", "only version 1 is understood")
        )
    return problems


def _issue_record(doc: YamlDocument, path: tuple[int | str, ...]) -> str:
    if len(path) >= 2 and isinstance(path[1], int):
        records = doc.data.get(path[0]) if isinstance(doc.data, dict) else None
        if path[0] == "services" and isinstance(records, list) and path[1] < len(records):
            return _record_name(records[path[1]], path[1])
        return f"{path[0]}[{path[1]}]"
    return "-"


def _shortened(message: str) -> str:
    """A message cut to a readable length: it may quote a value as long as the file allows."""
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def _record_name(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and len(raw["id"]) <= 100:
        return str(raw["id"])
    return f"services[{index}]"


def _field_name(loc: Sequence[int | str]) -> str:
    name = ""
    for step in loc:
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else str(step))
    return name or "-"


def _problem(
    origin: Origin, record: str, err: ErrorDetails, model: type[BaseModel], raw: Any = None
) -> Problem:
    loc = _data_loc(raw, err["loc"])
    if loc and loc[-1] in ("low", "high") and origin.doc.scalar_text(origin.path(loc[:-1])):
        loc = loc[:-1]  # the amount was written as one number: name it, not its bounds
    message = _message(origin, err, model, loc)
    return origin.problem(record, loc, message)


def _data_loc(raw: Any, loc: Iterable[int | str]) -> list[int | str]:
    """Pydantic's error location as keys of the data: its validator tags (`function-wrap[...]`)
    are left out, a key of the file that holds brackets (`notes[1]`) is kept."""
    kept, node = list[int | str](), raw
    for step in loc:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        elif isinstance(step, str) and "[" in step:
            continue  # a validator's tag, not a key
        else:
            node = None
        kept.append(step)
    return kept


def _message(
    origin: Origin, err: ErrorDetails, model: type[BaseModel], loc: list[int | str]
) -> str:
    kind, message = err["type"], err["msg"]
    if kind == "extra_forbidden":
        valid = sorted(_fields_at(model, loc[:-1]))
        near = difflib.get_close_matches(str(loc[-1]), valid, n=1)
        hint = f"did you mean {near[0]!r}?" if near else f"valid keys: {', '.join(valid)}"
        return f"unknown key {loc[-1]!r}; {hint}"
    if kind == "missing":
        choices = _CHOICES.get(str(loc[-1]))
        return "missing" + (f"; one of: {choices}" if choices else "")
    text = origin.doc.scalar_text(origin.path(loc))
    if not isinstance(err.get("input"), str):
        message += yaml_hint(text)
    return message.removeprefix("Value error, ")


_CHOICES = {"unit": ", ".join(u.value for u in Unit)}


@cache
def _model_fields(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    return {name: _inner_model(info.annotation) for name, info in model.model_fields.items()}


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: Iterable[int | str]) -> set[str]:
    """The keys valid at `loc` inside `model` (the model's own keys when loc is empty)."""
    current: type[BaseModel] | None = model
    for step in loc:
        if isinstance(step, str) and current is not None:
            current = _model_fields(current).get(step)
    return set(_model_fields(current)) if current else set()


def check_record(service: Service, origin: Origin) -> list[Problem]:
    """Cross-references inside one record: unique figure ids, baselines that name a figure."""
    problems = []
    seen: set[str] = set()
    for i, figure in enumerate(service.figures):
        if figure.id in seen:
            problems.append(
                origin.problem(
                    service.id, ["figures", i, "id"], f"duplicate figure id {figure.id!r}"
                )
            )
        seen.add(figure.id)
    if service.budget is not None and service.budget.check not in (None, *seen):
        message = f"no figure {service.budget.check!r} in this record to check the budget against"
        problems.append(origin.problem(service.id, ["budget", "check"], message))
    for i, baseline in enumerate(service.baselines):
        if baseline.compare is not None and baseline.compare not in seen:
            listed = ", ".join(sorted(seen)) or "none"
            message = f"no figure {baseline.compare!r} in this record (figures: {listed})"
            problems.append(origin.problem(service.id, ["baselines", i, "compare"], message))
        elif not service.figures:
            message = "a baseline needs a service figure to compare with, and the record has none"
            problems.append(origin.problem(service.id, ["baselines", i], message))
        if baseline.same_as not in (None, *(b.id for b in service.baselines if not b.same_as)):
            message = f"no other baseline {baseline.same_as!r} of this record states the claim"
            problems.append(origin.problem(service.id, ["baselines", i, "same_as"], message))
    return problems


def load_services(paths: Sequence[Path]) -> Dataset:
    """Load services files in order, each overlaying the ones before; report all problems."""
    dataset, problems = Dataset(), list[Problem]()
    for path in paths:
        try:
            part = parse_services(read_text(path), str(path))
        except DatasetError as exc:
            problems += exc.problems
            continue
        dataset.update(part)
    problems += check_same_as(dataset)
    if problems:
        raise DatasetError(problems)
    return dataset


def check_same_as(dataset: Dataset) -> list[Problem]:
    """Every `same_as` names a figure that exists."""
    problems = []
    for service_id, service, loc, figure in iter_figures(dataset):
        if figure.same_as and dataset.figure(figure.same_as) is None:
            origin = dataset.origins[service_id]
            message = f"no figure {figure.same_as!r} in the data"
            problems.append(origin.problem(service.id, [*loc, "same_as"], message))
    return problems


def iter_sources(dataset: Dataset) -> Iterator[tuple[str, list[int | str], Provenance | None]]:
    """Every provenance in the data, with the record id and the path to it."""
    for service_id, service in dataset.services.items():
        for i, figure in enumerate(stated_figures(service)):
            yield service_id, ["figures", i, "source"], figure.source
        if service.budget is not None:
            yield service_id, ["budget", "source"], service.budget.source
        for i, baseline in enumerate(service.baselines):
            if baseline.cost is not None:
                yield service_id, ["baselines", i, "cost", "source"], baseline.cost.source
        for i, baseline in enumerate(service.baselines):
            if baseline.relative is not None:
                yield service_id, ["baselines", i, "relative", "source"], baseline.relative.source
        for i, item in enumerate(service.context):
            yield service_id, ["context", i, "source"], item.source


_SPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def check_sources(dataset: Dataset, folder: Path) -> list[Problem]:
    """Every quote stands, verbatim up to whitespace and case, within its cited lines."""
    documents: dict[str, list[str] | None] = {}
    problems = []
    for service_id, loc, source in iter_sources(dataset):
        if source is None:
            message = "no source: every figure of the shipped data needs its provenance"
            problems.append(dataset.origins[service_id].problem(service_id, loc, message))
            continue
        lines = documents.setdefault(source.document, _document_lines(folder / source.document))
        origin = dataset.origins[service_id]
        if lines is None:
            message = f"document {source.document!r} not found in {folder}"
            problems.append(origin.problem(service_id, [*loc, "document"], message))
            continue
        first, last = source.lines
        if last > len(lines):
            message = f"{source.document} has {len(lines)} lines; {last} is past its end"
            problems.append(origin.problem(service_id, [*loc, "lines"], message))
            continue
        if _fold(source.quote) not in _fold(" ".join(lines[first - 1 : last])):
            message = f"quote not found in {source.document} lines {first}-{last}"
            problems.append(origin.problem(service_id, [*loc, "quote"], message))
    return problems


def _document_lines(path: Path) -> list[str] | None:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def load_rates(path: Path) -> RatesFile:
    """Load an exchange-rates file, checked in one pass (see ratesfile)."""
    return parse_rates(read_text(path), str(path))


def check_currencies(dataset: Dataset, rates: RateTable) -> list[Problem]:
    """Every figure's currency has at least one stored rate."""
    known = rates.currencies()
    problems = []
    for service_id, service, loc, figure in iter_figures(dataset):
        if figure.currency not in known:
            message = f"no exchange rate for {figure.currency} in the rates file"
            problems.append(
                dataset.origins[service_id].problem(service.id, [*loc, "currency"], message)
            )
    return problems
