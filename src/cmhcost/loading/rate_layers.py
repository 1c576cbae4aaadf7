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
USER_HEADER = (
    "# Exchange rates added with `cmhcost rates add` or fetched with `cmhcost rates update`.\n"
    "# They take precedence over the rates shipped with cmhcost on the same date.\n"
)


@dataclass(frozen=True)
class Layer:
    """One rates file and the name `rates list` shows for it."""

    name: str
    path: Path
    rates: RatesFile


def load_layers(extra: Sequence[Path] = ()) -> list[Layer]:
    """Every layer read and checked; all problems of all files reported together."""
    from cmhcost.loading.reader import load_rates

    layers, problems = [], list[Problem]()
    for name, path in rate_layer_paths(extra):
        try:
            layers.append(Layer(name, path, load_rates(path)))
        except DatasetError as exc:
            problems += exc.problems
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
    """A hand-added rate, "AMOUNT CODE = 1 BASE on DAY", checked; CmhcostError says what is wrong."""
    from cmhcost.domain.codes import check_currency

    try:
        rate = Decimal(amount)
    except InvalidOperation:
        raise CmhcostError(f"{amount!r} is not a number") from None
    if not rate.is_finite() or rate <= 0:
        raise CmhcostError(f"the rate must be a number above zero, not {amount}")
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
    return RateSet(
        date=day, base=base, source=source.strip(), method=ADDED_METHOD, rates={code: rate}
    )


def stored_layer(path: Path) -> tuple[RatesFile, str]:
    """A layer file's rates and leading comments, or an empty layer when it does not exist yet."""
    from cmhcost.loading.reader import parse_rates, read_text
    from cmhcost.loading.refresh import leading_comments

    if not path.exists():
        return RatesFile(sets=()), USER_HEADER
    text = read_text(path)
    return parse_rates(text, str(path)), leading_comments(text)
