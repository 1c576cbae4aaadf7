"""The prices sub-command: fetch a price table (CPI, PPP, GDP deflator) from the World Bank."""

from datetime import date
from enum import Enum
from typing import Annotated

import typer

from cmhcost.cli.exits import note, reported
from cmhcost.domain.limits import REFRESH_TIMEOUT_SECONDS
from cmhcost.report.atomic import write_atomic

prices_app = typer.Typer(
    no_args_is_help=True, help="Refresh the price tables (CPI, PPP, a GDP deflator) online."
)


class Table(str, Enum):
    """The tables `prices update` fetches."""

    CPI = "cpi"
    PPP = "ppp"
    DEFLATOR = "deflator"


@prices_app.command("update")
@reported
def prices_update(
    table: Annotated[Table, typer.Argument(help="cpi, ppp or deflator (NY.GDP.DEFL.KD.ZG).")],
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the World Bank API.")
    ] = REFRESH_TIMEOUT_SECONDS,
) -> None:
    """Fetch a World Bank table into your data directory: it lies over the shipped one (cpi,
    ppp); the deflator is for `--index`. Nothing is written when the reply is wrong."""
    from cmhcost.loading.paths import user_data_dir
    from cmhcost.loading.price_refresh import INDICATORS, fetch_table

    indicator = INDICATORS[table.value]
    text = fetch_table(indicator, timeout, date.today())
    path = user_data_dir() / indicator.file
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    values = text.count("\n") - text.count("# ") - 1
    note(f"{path}: {values} values of {indicator.code}")
