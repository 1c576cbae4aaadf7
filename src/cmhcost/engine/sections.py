"""Sections of a comparison: rows grouped by what their amounts are counted per.

A cost per day, a cost per episode and an annual budget answer different questions; each gets its
own labelled section, and no sort order ever ranks one against another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from cmhcost.schema.services import Denominator


class GroupKind(Enum):
    """What a row's amounts are counted per; rows of different kinds or units never mix."""

    PER_PERSON = "a service user's care for a period"
    PER_PERSON_SUPPORTED = "one person's whole episode of support"
    PER_EVENT = "one event, not a day of care"
    PER_CAPITA = "one resident of the catchment population"
    WHOLE_SERVICE = "the whole service: a total, not a unit cost"


@dataclass(frozen=True, order=True)
class Group:
    """A section of the comparison: one kind of unit and one unit, labelled for readers."""

    kind_order: int
    unit: str
    kind: GroupKind = field(compare=False)

    @property
    def title(self) -> str:
        """The section's heading: its unit and what that unit counts."""
        return f"per {self.unit}: {self.kind.value}"


_GROUP_ORDER = {
    Denominator.PERSON: GroupKind.PER_PERSON,
    Denominator.EVENT: GroupKind.PER_EVENT,
    Denominator.CAPITA: GroupKind.PER_CAPITA,
    Denominator.SERVICE: GroupKind.WHOLE_SERVICE,
}


def group_of(counts: Denominator, days: Decimal | None, unit: str) -> Group:
    """The section a row whose amounts are per `unit` belongs to."""
    kind = _GROUP_ORDER[counts]
    if kind is GroupKind.PER_PERSON and days is None:
        kind = GroupKind.PER_PERSON_SUPPORTED
    return Group(list(GroupKind).index(kind), unit, kind)
