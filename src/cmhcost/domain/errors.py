"""The exceptions cmhcost raises; the CLI turns each into a message and an exit code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from cmhcost.domain.limits import RATE_LOOK_BACK

# How a user supplies what is missing, in the words of the interface in use. The command line fills
# these when it starts, so that the core's messages name none of its options; without them (cmhcost
# used as a library) a message says what is missing and nothing more.
OPTION_NAMES: dict[str, str] = {}  # what a message asks for -> the option that gives it
RATE_REMEDIES: list[Callable[[str, date], str]] = []  # how to record a missing rate


def named(what: str) -> str:
    """`what`, followed by the option that gives it where the interface has one."""
    option = OPTION_NAMES.get(what)
    return f"{what} ({option})" if option else what


class ExitStatus(IntEnum):
    """The exit codes of the command line."""

    SUCCESS = 0
    ERROR = (
        1  # bad data, a missing rate, a failed refresh, a report that drifted from the file checked
    )
    USAGE = 2  # bad command-line usage
    INTERNAL = 70  # a bug in cmhcost (EX_SOFTWARE)


class CmhcostError(Exception):
    """Base of every error cmhcost reports to a user."""

    exit_status = ExitStatus.ERROR


class UsageError(CmhcostError):
    """The command line asks for something that cannot be done."""

    exit_status = ExitStatus.USAGE


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as the file allows."""

    file: str
    line: int
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.record}: {self.field}: {self.message}"


class DatasetError(CmhcostError):
    """One or more problems found in data files, all reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        from cmhcost.domain.limits import MAX_PROBLEMS_SHOWN as shown

        self.problems = sorted(problems)
        more = len(self.problems) - shown
        lines = [str(p) for p in self.problems[:shown]]
        if more > 0:  # a flood of problems is one mistake repeated: the first ones say it
            lines.append(f"... and {more:,} more problems (the first {shown} are shown)")
        super().__init__("\n".join(lines))


class RateNotFoundError(CmhcostError):
    """No stored rate converts a currency at the date asked."""

    def __init__(self, currency: str, asked: date, available: list[date]) -> None:
        self.currency, self.asked, self.available = currency, asked, available
        super().__init__(f"no {currency} rate on or shortly before {asked}: {self.reason}")

    @property
    def reason(self) -> str:
        """Why there is no rate, and how to add one where the interface says."""
        earlier = [d for d in self.available if d <= self.asked]
        only = " (the only one stored)" if len(self.available) == 1 else ""
        if not self.available:
            found = f"no rate for {self.currency} is stored"
        elif earlier:
            days = RATE_LOOK_BACK.days
            found = f"the nearest earlier {self.currency} rate is for {earlier[-1]}{only}, more than {days} days before"
        else:
            found = f"the first {self.currency} rate stored is for {self.available[0]}{only}"
        remedies = "".join(f"; {remedy(self.currency, self.asked)}" for remedy in RATE_REMEDIES)
        return found + remedies


class PriceDataError(CmhcostError):
    """A price index or PPP value that an adjustment needs is not in the tables."""


class PriceUsageError(UsageError):
    """A price adjustment asked in a way that cannot be answered: a bad year, no country."""


class RefreshError(CmhcostError):
    """Fetching rates from the online source failed; nothing was written."""
