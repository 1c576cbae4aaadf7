"""The pilot commands: appraise a planner's pilot, and write a template to start one."""

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cmhcost.cli.exits import note, reported
from cmhcost.cli.files import data_label, inputs, load, report, services_paths, with_shipped
from cmhcost.cli.options import (
    BasisOption,
    CheckOption,
    DataOption,
    IndexOption,
    OutputOption,
    RatesOption,
    ShippedDataOption,
    ToCountryOption,
    currency_code,
    drawing,
    format_option,
    price_request,
)
from cmhcost.cli.reports import on_price_basis
from cmhcost.domain.choices import Denomination, SchemaName, Selection
from cmhcost.domain.errors import CmhcostError
from cmhcost.report import OutputFormat, Report
from cmhcost.report.atomic import write_atomic
from cmhcost.report.delivery import Destination

if TYPE_CHECKING:
    from cmhcost.conversion.exchange import RateTable
    from cmhcost.conversion.prices import PriceConverter
    from cmhcost.engine.compare import Comparison
    from cmhcost.schema.dataset import Dataset


@reported
def pilot(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The pilots' YAML files (`cmhcost init-pilot` writes one); several are set "
            "side by side; cmhcost:examples/NAME.yaml names a shipped example (`cmhcost paths`)."
        ),
    ],
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency", help="Show amounts in this currency (default: the pilot's own)."
        ),
    ] = None,
    data: DataOption = None,
    shipped_data: ShippedDataOption = True,
    rates: RatesOption = None,
    rates_date: Annotated[
        datetime | None,
        typer.Option(
            "--rates-date",
            formats=["%Y-%m-%d"],
            help="Convert currencies at the rates of this date (default: the mean of the rates "
            "stored in the pilot's price year).",
        ),
    ] = None,
    fmt: Annotated[OutputFormat, format_option(Report.PILOT)] = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
    plot_path: Annotated[
        Path | None,
        typer.Option(
            "--plot", help="Also draw the pilot among the guidance's services (.svg, .png, .pdf)."
        ),
    ] = None,
    break_even_path: Annotated[
        Path | None,
        typer.Option(
            "--plot-break-even",
            help="Also draw cost per unit against occupancy, the baseline and the break-evens.",
        ),
    ] = None,
    basis: BasisOption = None,
    price_year: Annotated[
        int | None,
        typer.Option(
            "--price-year",
            help="Take every amount to this price year (default basis: ppp; currency: I$).",
        ),
    ] = None,
    to_country: ToCountryOption = None,
    index: IndexOption = None,
) -> None:
    """Appraise proposed pilots: unit cost, baseline, break-evens, cash flow, rank in the guidance."""
    from cmhcost.cli.price_basis import price_tables
    from cmhcost.engine.pilot import PilotRequest, check_pilots, evaluate
    from cmhcost.loading.paths import resolve

    data, files = with_shipped(data, shipped_data), [resolve(file) for file in files]
    from cmhcost.loading import reader

    target = currency_code(currency) if currency else None
    where = Destination(fmt, output, check)  # a usage error before any work
    pictures = {
        path: drawing(path, option)
        for path, option in ((plot_path, "--plot"), (break_even_path, "--plot-break-even"))
        if path is not None
    }
    guidance, table = load(data, rates)
    on = rates_date.date() if rates_date else None
    price = price_request(basis, price_year, to_country)
    if price is None:
        request = PilotRequest(price_tables(index, None), target, rates_date=on)
        goal = Denomination(currency="USD")
    else:  # the price basis reads the tables once, for the pilots and the guidance around them
        priced = on_price_basis(Denomination(currency=target or "USD"), price, table, index)
        goal, prices = priced.denomination, priced.converter
        request = PilotRequest(prices.tables, target, prices, on)
    reports, pilot_files = [], list["Dataset"]()
    for file in files:
        pilots = reader.load_services([file])
        check_pilots(pilots, guidance, str(file))
        reports += [evaluate(s, guidance, table, request) for s in pilots.services.values()]
        pilot_files.append(pilots)
    ids = [service_id for pilots in pilot_files for service_id in pilots.services]
    read = inputs(data, rates, *files)
    if plot_path is not None:
        money = replace(goal, currency=reports[0].currency)
        among = _pilot_comparison(guidance, pilot_files, table, money, request.prices)
        picture = _render_among(among, pictures[plot_path], ids, [*services_paths(data), *files])
        write_atomic(plot_path, [picture], read)
        note(f"wrote {plot_path}")
    if break_even_path is not None:
        from cmhcost.report.break_even_plot import render_break_even

        write_atomic(break_even_path, [render_break_even(reports, pictures[break_even_path])], read)
        note(f"wrote {break_even_path}")
    report(where, lambda f: f.pilot(reports), read)


def _render_among(among: "Comparison", fmt: str, ids: list[str], paths: list[Path]) -> bytes:
    from cmhcost.report.plot import render

    return render(among, fmt, set(ids), data_label(paths))


def _pilot_comparison(
    guidance: "Dataset",
    pilot_files: list["Dataset"],
    table: "RateTable",
    money: Denomination,
    prices: "PriceConverter | None",
) -> "Comparison":
    """The guidance's comparison with the pilots' records among its services, per day (from
    what the command has read already: the files are not read again)."""
    from cmhcost.domain.errors import DatasetError
    from cmhcost.engine.compare import compare
    from cmhcost.loading.reader import check_same_as
    from cmhcost.schema.dataset import Dataset

    services = Dataset()
    for part in (guidance, *pilot_files):
        services.update(part)
    problems = check_same_as(services)  # a pilot that replaces a record may drop a figure cited
    if problems:
        raise DatasetError(problems)
    return compare(services, table, Selection(), money, converter=prices)


@reported
def init_pilot(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    example: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start from a shipped example (its name, as `cmhcost paths` lists it) "
            "instead of the blank template.",
        ),
    ] = None,
) -> None:
    """Write a commented pilot template (or a copy of a shipped example) to start from."""
    from cmhcost.schema.json_schema import json_schema
    from cmhcost.schema.pilot_template import PILOT_TEMPLATE

    if path.exists() and not force:
        raise CmhcostError(f"{path} exists; choose another path or pass --force")
    own = inputs(None, None)  # cmhcost's own files and the user's rates are never a template
    text = PILOT_TEMPLATE if example is None else example_text(example)
    write_atomic(path, text, own)
    schema_file = path.parent / "services.schema.json"
    if not schema_file.exists():
        write_atomic(schema_file, json_schema(SchemaName.SERVICES), own)  # for editors
    note(f"wrote {path} and {schema_file}; edit the pilot, then run: cmhcost pilot {path}")


def example_text(name: str) -> str:
    """The text of a shipped example pilot, by its name with or without `.yaml`."""
    from cmhcost.loading.paths import shipped_example, shipped_examples

    known = shipped_examples()
    found = name.removeprefix("cmhcost:examples/")
    found = found if found.endswith(".yaml") else f"{found}.yaml"
    if found not in known:
        raise typer.BadParameter(
            f"no example {name!r}; the examples are {', '.join(known)}", param_hint="--from"
        )
    return shipped_example(found).read_text(encoding="utf-8")
