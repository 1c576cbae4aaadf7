"""Rate layers: the shipped rates at the bottom, the user's own above, the files a command is given on top.

Every command reads its rates through `load_rate_table`, so there is one place where layers merge.
A rate a user adds goes to the user's layer file (never into the installed package).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cmhcost.conversion.exchange import RateTable
from cmhcost.domain.errors import CmhcostError, DatasetError, Problem, named
from cmhcost.loading.paths import rate_layer_paths
from cmhcost.schema.rates import RateSet, RatesFile

ADDED_METHOD = "entered by hand with cmhcost rates add"


@dataclass(frozen=True)
class Layer:
    """One rates file and the name `rates list` shows for it."""

    name: str
    path: Path
    rates: RatesFile


def load_layers(extra: Sequence[Path] = ()) -> list[Layer]:
    """Every layer read and checked; all problems of all files reported together."""
    from cmhcost.loading.ledger import unreadable_user_layer
    from cmhcost.loading.paths import USER
    from cmhcost.loading.reader import load_rates

    layers, problems, user = [], list[Problem](), None
    for name, path in rate_layer_paths(extra):
        try:
            layers.append(Layer(name, path, load_rates(path)))
        except DatasetError as exc:
            problems += exc.problems
            user = path if name == USER else user
    if user is not None:
        raise unreadable_user_layer(user, DatasetError(problems))
    if problems:
        raise DatasetError(problems)
    return layers


def table_of(layers: Sequence[Layer]) -> RateTable:
    """One rate table from the layers; on the same date a later layer's rate wins."""
    return RateTable.layered([(layer.name, layer.rates.sets) for layer in layers])


def load_rate_table(extra: Sequence[Path] = ()) -> RateTable:
    """The rate table every command converts with: shipped, user and given layers merged."""
    return table_of(load_layers(extra))


def rate_to_add(amount: str, code: str, base: str, day: date, source: str) -> RateSet:
    """A hand-added rate, "AMOUNT CODE = 1 BASE on DAY", checked by the rules the reader applies
    to a rates file (so that what is written reads back); CmhcostError says what is wrong."""
    from cmhcost.domain.codes import check_currency
    from cmhcost.domain.limits import LONG_TEXT
    from cmhcost.domain.money import check_rate
    from cmhcost.domain.rules import check_text, check_year

    try:
        rate = check_rate(Decimal(amount))
    except InvalidOperation:
        raise CmhcostError(f"{amount!r} is not a number") from None
    except ValueError as exc:
        raise CmhcostError(f"the rate {amount}: {exc}") from None
    for value in (code, base):
        try:
            check_currency(value)
        except ValueError as exc:
            raise CmhcostError(str(exc)) from None
    if code == base:
        raise CmhcostError(f"a rate of {code} per {base} converts a currency into itself")
    if day > date.today():
        raise CmhcostError(f"{day} is in the future; a rate is recorded for a day that has passed")
    if not source.strip():
        raise CmhcostError(
            f"say where the rate comes from: its {named('source')} (the central bank)"
        )
    try:
        check_year(day.year)
    except ValueError as exc:
        raise CmhcostError(f"the {named('date')} {day}: {exc}") from None
    try:
        check_text(source.strip(), LONG_TEXT)
    except ValueError as exc:
        raise CmhcostError(f"the {named('source')}: {exc}") from None
    return RateSet.model_construct(
        date=day, base=base, source=source.strip(), method=ADDED_METHOD, rates={code: rate}
    )
