"""The rates sub-commands: list the stored exchange rates, add one, or fetch them online."""

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

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
) -> None:
    """Record a rate, "AMOUNT CURRENCY = 1 PER" on a date, in the user's rates (or --rates-file)."""
    from cmhcost.loading.paths import user_rates
    from cmhcost.loading.rate_layers import rate_to_add, stored_layer
    from cmhcost.loading.refresh import dump_rates, merge

    added = rate_to_add(amount, currency, per, on.date(), source)
    path = rates_file or user_rates()
    stored, header = stored_layer(path)
    _write_rates(path, dump_rates(merge(stored, added).rates, header))
    note(f"{path}: {amount} {currency} = 1 {per} on {on.date()} ({added.source})")


def _write_rates(path: Path, text: str) -> None:
    from cmhcost.loading.paths import shipped_rates

    if path.resolve() == shipped_rates().resolve():
        raise CmhcostError(
            f"{path} is the rates file shipped with cmhcost; rates you add go to your own file "
            "(leave out --rates-file, or name another file)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


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
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the service.")
    ] = REFRESH_TIMEOUT_SECONDS,
) -> None:
    """Fetch ECB-based rates online (forex-python) into the user's rates (or --rates-file)."""
    from cmhcost.loading.paths import user_rates
    from cmhcost.loading.rate_layers import load_layers, stored_layer
    from cmhcost.loading.refresh import ForexPythonSource, dump_rates, merge

    if on is not None and on.date() > date.today():
        raise typer.BadParameter(f"{on.date()} is in the future", param_hint="--date")
    path = rates_file or user_rates()
    stored, header = stored_layer(path)
    below = [s for layer in load_layers() if layer.path != path for s in layer.rates.sets]
    codes = [currency_code(c) for c in currency or ()]
    fetched = ForexPythonSource(timeout).fetch("EUR", on.date() if on else None)
    result = merge(stored, fetched, codes, below)
    for warning in result.warnings:
        note(f"warning: {warning}")
    _write_rates(path, dump_rates(result.rates, header))
    note(
        f"{path}: {len(result.added.rates)} rates for {result.added.date} from {result.added.source}"
    )
