"""A pilot file's own checks: it holds a pilot, and no pilot takes a guidance id by mistake."""

from __future__ import annotations

from cmhcost.domain.errors import DatasetError, Problem
from cmhcost.schema.dataset import Dataset
from cmhcost.schema.services import Service


def currency_field(service: Service, currency: str) -> list[int | str]:
    """Where a pilot record states `currency`: its budget, else the first figure in it."""
    if service.budget is not None and service.budget.currency == currency:
        return ["budget", "currency"]
    index = next((i for i, f in enumerate(service.figures) if f.currency == currency), 0)
    return ["figures", index, "currency"]


def check_pilots(pilots: Dataset, guidance: Dataset, file: str) -> None:
    """A pilot file holds at least one pilot, and no pilot takes a guidance id unless it says so."""
    if not pilots.services:
        raise DatasetError([Problem(file, 1, "-", "services", "the file holds no pilot")])
    problems = []
    for service in pilots.services.values():
        origin = pilots.origins[service.id]
        replaces = service.pilot.replaces if service.pilot else None
        if replaces is not None and replaces not in guidance.services:
            message = f"no guidance record {replaces!r} to replace"
            problems.append(origin.problem(service.id, ["pilot", "replaces"], message))
        elif service.id in guidance.services and replaces != service.id:
            message = (
                f"{service.id!r} is the id of a guidance record; choose another id, or write "
                f"`replaces: {service.id}` under `pilot:` to stand in for it"
            )
            problems.append(origin.problem(service.id, ["id"], message))
    if problems:
        raise DatasetError(problems)
