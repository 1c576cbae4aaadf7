"""The pilot commands: appraise a planner's pilot, and write a template to start one."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cmhcost.cli.exits import note, reported
from cmhcost.cli.files import data_label, inputs, load, report, services_paths
from cmhcost.cli.options import (
    BasisOption,
    CheckOption,
    DataOption,
    IndexOption,
    OutputOption,
    RatesOption,
    ToCountryOption,
    currency_code,
    drawing,
    format_option,
    price_request,
)
from cmhcost.cli.reports import on_price_basis
from cmhcost.domain.choices import Options, SchemaName
from cmhcost.domain.errors import CmhcostError, DatasetError
from cmhcost.report import OutputFormat, Report
from cmhcost.report.atomic import write_atomic
from cmhcost.report.delivery import Destination

if TYPE_CHECKING:
    from cmhcost.engine.compare import Comparison


@reported
def pilot(
    file: Annotated[
        Path, typer.Argument(help="The pilot's YAML file (`cmhcost init-pilot` writes one).")
    ],
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency", help="Show amounts in this currency (default: the pilot's own)."
        ),
    ] = None,
    data: DataOption = None,
    rates: RatesOption = None,
    fmt: Annotated[OutputFormat, format_option(Report.PILOT)] = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
    plot_path: Annotated[
        Path | None,
        typer.Option(
            "--plot", help="Also draw the pilot among the guidance's services (.svg, .png, .pdf)."
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
    """Appraise a proposed pilot: unit cost, baseline, break-even, saving, rank in the guidance."""
    from cmhcost.domain.errors import Problem, RateNotFoundError
    from cmhcost.engine.pilot import check_pilots, currency_field, evaluate
    from cmhcost.loading import reader

    target = currency_code(currency) if currency else None
    where = Destination(fmt, output, check)  # a usage error before any work
    picture_format = drawing(plot_path) if plot_path else None
    pilots = reader.load_services([file])
    guidance, table = load(data, rates)
    check_pilots(pilots, guidance, str(file))
    prices = None
    price = price_request(basis, price_year, to_country)
    if price is not None:
        goal = Options(currency=target or "USD")
        prices = on_price_basis(goal, price, table, index).converter
    reports, problems = [], list[Problem]()
    for service in pilots.services.values():
        try:
            reports.append(evaluate(service, guidance, table, target, prices))
        except RateNotFoundError as exc:
            loc = currency_field(service, exc.currency)
            message = f"{exc}; or appraise it on purchasing power with --basis ppp"
            problems.append(pilots.origins[service.id].problem(service.id, loc, message))
    if problems:
        raise DatasetError(problems)

    if plot_path is not None and picture_format is not None:
        from cmhcost.report.plot import render

        among = _pilot_comparison(data, rates, file, reports[0].currency)
        picture = render(
            among, picture_format, set(pilots.services), data_label([*services_paths(data), file])
        )
        write_atomic(plot_path, [picture], inputs(data, rates, file))
        note(f"wrote {plot_path}")
    report(where, lambda f: f.pilot(reports), inputs(data, rates, file))


def _pilot_comparison(
    data: list[Path] | None, rates: list[Path] | None, file: Path, currency: str
) -> "Comparison":
    """The guidance's comparison with the pilot's records among its services, per day."""
    from cmhcost.engine.compare import compare

    services, table = load([*services_paths(data), file], rates)
    return compare(services, table, Options(currency=currency))


@reported
def init_pilot(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented pilot template to start from."""
    from cmhcost.schema.json_schema import json_schema
    from cmhcost.schema.pilot_template import PILOT_TEMPLATE

    if path.exists() and not force:
        raise CmhcostError(f"{path} exists; choose another path or pass --force")
    write_atomic(path, PILOT_TEMPLATE)
    schema_file = path.parent / "services.schema.json"
    if not schema_file.exists():
        write_atomic(schema_file, json_schema(SchemaName.SERVICES))  # for editors that validate
    note(f"wrote {path} and {schema_file}; edit the pilot, then run: cmhcost pilot {path}")
