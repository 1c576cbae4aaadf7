"""The rates sub-commands: list the stored exchange rates, add one, or fetch them online."""

import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cmhcost.cli.exits import note, reported
from cmhcost.cli.files import inputs, report
from cmhcost.cli.options import (
    CheckOption,
    OutputOption,
    RatesFileOption,
    RatesOption,
    currency_code,
    format_option,
)
from cmhcost.domain.errors import CmhcostError
from cmhcost.domain.limits import REFRESH_TIMEOUT_SECONDS
from cmhcost.report import OutputFormat, Report
from cmhcost.report.atomic import write_atomic
from cmhcost.report.delivery import Destination

if TYPE_CHECKING:
    from cmhcost.schema.rates import RateSet

rates_app = typer.Typer(
    no_args_is_help=True, help="Show, add or refresh the exchange rates (shipped, user, --rates)."
)


@rates_app.command("list")
@reported
def rates_list(
    rates: RatesOption = None,
    currency: Annotated[
        list[str] | None, typer.Option("--currency", help="Show every date of this currency.")
    ] = None,
    fmt: Annotated[OutputFormat, format_option(Report.RATES)] = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """Show which currencies and dates are stored, their sources and the layer they come from."""
    from cmhcost.conversion.exchange import rate_listing
    from cmhcost.loading.rate_layers import load_layers

    where = Destination(fmt, output, check)  # a usage error before any work
    layers = [(layer.name, layer.rates.sets) for layer in load_layers(rates or ())]
    listing = rate_listing(layers, {c.upper() for c in currency or ()})
    report(where, lambda f: f.rates(listing), inputs([], rates))


ReplaceOption = Annotated[
    bool,
    typer.Option(
        "--replace",
        help="Put the rate in place of another source's rate for the same currency and day.",
    ),
]


@rates_app.command("add")
@reported
def rates_add(
    amount: Annotated[str, typer.Argument(help="Units of CURRENCY that one --per unit buys.")],
    currency: Annotated[str, typer.Argument(help="The currency the rate is for (ISO 4217).")],
    per: Annotated[str, typer.Option("--per", help="The currency of one unit (ISO 4217).")],
    on: Annotated[
        datetime, typer.Option("--date", formats=["%Y-%m-%d"], help="The day of the rate.")
    ],
    source: Annotated[str, typer.Option("--source", help="Where the rate comes from.")],
    rates_file: RatesFileOption = None,
    replace: ReplaceOption = False,
) -> None:
    """Record a rate, "AMOUNT CURRENCY = 1 PER" on a date, in the user's rates (or --rates-file)."""
    from cmhcost.loading.rate_layers import rate_to_add

    added = rate_to_add(amount, currency, per, on.date(), source)
    path = _record(rates_file, added, replace)
    note(f"{path}: {amount} {currency} = 1 {per} on {on.date()} ({added.source})")


def _record(rates_file: Path | None, added: "RateSet", replace: bool) -> Path:
    """Put a set in the rates file under its lock; say what it replaced and what was not kept."""
    from cmhcost.loading.ledger import record
    from cmhcost.loading.paths import shipped_rates, user_rates

    path = rates_file or user_rates()
    if os.path.realpath(path) == os.path.realpath(shipped_rates()):
        raise CmhcostError(
            f"{path} is the rates file shipped with cmhcost; rates you add go to your own file "
            "(leave out --rates-file, or name another file)"
        )
    done = record(path, added, replace, write_atomic)
    for replaced in done.replaced:
        note(f"{path}: replaced {replaced} (--replace)")
    if done.comments_dropped:
        note(f"{path}: the file's layout did not allow an edit in place; it was rewritten")
    return path


@rates_app.command("update")
@reported
def rates_update(
    rates_file: RatesFileOption = None,
    on: Annotated[
        datetime | None,
        typer.Option(
            "--date", formats=["%Y-%m-%d"], help="Fetch this day's rates (default: the latest)."
        ),
    ] = None,
    currency: Annotated[
        list[str] | None,
        typer.Option("--currency", help="Only this currency (repeatable; default: all)."),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0.1, max=600, help="Seconds to wait for the service (at most 600)."
        ),
    ] = REFRESH_TIMEOUT_SECONDS,
    replace: ReplaceOption = False,
) -> None:
    """Fetch ECB-based rates online (forex-python) into the user's rates (or --rates-file)."""
    from cmhcost.loading.rate_layers import load_layers
    from cmhcost.loading.refresh import ForexPythonSource, big_moves, select

    if on is not None and on.date() > date.today():
        raise typer.BadParameter(f"{on.date()} is in the future", param_hint="--date")
    codes = [currency_code(c) for c in currency or ()]
    below = [rates_file] if rates_file is not None and rates_file.exists() else []
    known = [s for layer in load_layers(below) for s in layer.rates.sets]
    fetched = select(ForexPythonSource(timeout).fetch("EUR", on.date() if on else None), codes)
    for warning in big_moves(known, fetched):
        note(f"warning: {warning}")
    path = _record(rates_file, fetched, replace)
    note(f"{path}: {len(fetched.rates)} rates for {fetched.date} from {fetched.source}")
