"""The uncertainty commands: one-way and two-way sensitivity, and probabilistic analysis of a pilot."""

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cmhcost.cli.exits import note, reported
from cmhcost.cli.files import inputs, load, report
from cmhcost.cli.options import (
    CheckOption,
    DataOption,
    OutputOption,
    RatesOption,
    drawing,
    format_option,
)
from cmhcost.report import OutputFormat, Report
from cmhcost.report.delivery import Destination

if TYPE_CHECKING:
    from cmhcost.engine.parameters import Parameter
    from cmhcost.engine.pilot_model import PilotModel

PilotFile = Annotated[Path, typer.Argument(help="The pilot's YAML file.")]
SpreadOption = Annotated[
    str | None,
    typer.Option(
        "--spread",
        help="Give every point input this spread, as a 95% interval (20% or 0.2).",
    ),
]
PilotIdOption = Annotated[
    str | None, typer.Option("--pilot", help="Which pilot of the file (default: the only one).")
]
HUMAN = (OutputFormat.TABLE, OutputFormat.MARKDOWN, OutputFormat.HTML, OutputFormat.XLSX)


def spread_fraction(text: str | None) -> Decimal | None:
    """`20%` or `0.2` as the fraction 0.2; a usage error otherwise."""
    if text is None:
        return None
    try:
        value = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise typer.BadParameter(f"{text!r} is not a spread: write 20% or 0.2") from None
    if not 0 <= value <= 1:
        raise typer.BadParameter(f"{text!r}: a spread is from 0% to 100%")
    return value


def _analysed(
    file: Path,
    data: list[Path] | None,
    rates: list[Path] | None,
    spread: Decimal | None,
    pilot_id: str | None,
) -> "tuple[PilotModel, tuple[Parameter, ...]]":
    """The pilot's model and parameters, from its file and the guidance it is compared with."""
    from cmhcost.cli.files import with_shipped
    from cmhcost.cli.price_basis import price_tables
    from cmhcost.domain.errors import CmhcostError, DatasetError, RateNotFoundError
    from cmhcost.engine.parameters import parameters_of
    from cmhcost.engine.pilot import PilotRequest, check_pilots, currency_field, evaluate
    from cmhcost.engine.pilot_model import model_of
    from cmhcost.loading import reader
    from cmhcost.loading.paths import resolve

    file, data = resolve(file), with_shipped(data)  # --data adds to the shipped services
    pilots = reader.load_services([file])
    guidance, table = load(data, rates)
    check_pilots(pilots, guidance, str(file))
    ids = list(pilots.services)
    if pilot_id is None and len(ids) > 1:
        raise CmhcostError(
            f"{file} holds {len(ids)} pilots; choose one with --pilot: {', '.join(ids)}"
        )
    service = pilots.services.get(pilot_id or ids[0])
    if service is None:
        raise CmhcostError(f"{file} holds no pilot {pilot_id!r}; its pilots: {', '.join(ids)}")
    origin = pilots.origins[service.id]
    try:
        appraisal = evaluate(service, guidance, table, PilotRequest(price_tables(None, None)))
    except RateNotFoundError as exc:
        loc = currency_field(service, exc.currency)
        raise DatasetError([origin.problem(service.id, loc, str(exc))]) from None
    model = model_of(appraisal)
    return model, parameters_of(model, origin, spread)


def _grid_names(text: str) -> tuple[str, str]:
    names = [n.strip() for n in text.split(",")]
    if len(names) != 2 or not all(names):
        raise typer.BadParameter("name two parameters: --grid occupancy,substitution")
    return names[0], names[1]


@reported
def sensitivity(
    file: PilotFile,
    spread: SpreadOption = None,
    grid: Annotated[
        str | None,
        typer.Option("--grid", help="Two parameters for a two-way grid of net annual saving: X,Y."),
    ] = None,
    steps: Annotated[int, typer.Option("--steps", help="Values of each grid parameter.")] = 5,
    plot_path: Annotated[
        Path | None, typer.Option("--plot", help="Draw the tornado diagram (.svg, .png, .pdf).")
    ] = None,
    grid_plot: Annotated[
        Path | None,
        typer.Option("--plot-grid", help="Draw the grid's heat map (.svg, .png, .pdf)."),
    ] = None,
    pilot_id: PilotIdOption = None,
    data: DataOption = None,
    rates: RatesOption = None,
    fmt: Annotated[OutputFormat, format_option(Report.SENSITIVITY)] = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """One-way sensitivity of a pilot (each input at its low and high: the tornado), and two-way."""
    from cmhcost.engine.sensitivity import one_way, two_way

    where = Destination(fmt, output, check)
    pair = _grid_names(grid) if grid else None
    if grid_plot is not None and pair is None:
        raise typer.BadParameter("--plot-grid draws the grid: give --grid too")
    kinds = [drawing(p) for p in (plot_path, grid_plot) if p is not None]
    model, parameters = _analysed(file, data, rates, spread_fraction(spread), pilot_id)
    result = one_way(model, parameters)
    table = two_way(model, parameters, *pair, steps) if pair else None
    read = inputs(data, rates, file)
    if plot_path is not None:
        from cmhcost.report.uncertainty_plot import drawn, tornado

        _write(plot_path, drawn(tornado, result, fmt=kinds[0]), read)
    if grid_plot is not None and table is not None:
        from cmhcost.report.uncertainty_plot import drawn, heat_map

        _write(grid_plot, drawn(heat_map, table, fmt=kinds[-1]), read)
    report(where, lambda f: f.sensitivity(result, table), read)


@reported
def psa(
    file: PilotFile,
    draws: Annotated[int, typer.Option("--draws", help="How many draws.", min=2)] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", help="The random seed: same seed, same bytes.")
    ] = 1,
    spread: SpreadOption = None,
    plot_path: Annotated[
        Path | None,
        typer.Option(
            "--plot", help="Draw the net annual saving's distribution (.svg, .png, .pdf)."
        ),
    ] = None,
    cumulative: Annotated[
        bool, typer.Option("--cdf", help="Draw the cumulative distribution, not a histogram.")
    ] = False,
    draws_output: Annotated[
        Path | None,
        typer.Option("--draws-output", help="Write every draw to this CSV file (for R or Stata)."),
    ] = None,
    pilot_id: PilotIdOption = None,
    data: DataOption = None,
    rates: RatesOption = None,
    fmt: Annotated[OutputFormat, format_option(Report.PSA)] = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """Probabilistic sensitivity analysis of a pilot: every input drawn, the pilot run on each draw."""
    from cmhcost.engine.psa import psa as run
    from cmhcost.report.progress import progress_bar

    where = Destination(fmt, output, check)
    kind = drawing(plot_path) if plot_path is not None else None
    model, parameters = _analysed(file, data, rates, spread_fraction(spread), pilot_id)
    with progress_bar(draws, "drawing", fmt in HUMAN) as progress:
        result = run(model, parameters, draws, seed, progress)
    read = inputs(data, rates, file)
    if draws_output is not None:
        from cmhcost.report.csv import lines
        from cmhcost.report.uncertainty_data import draw_rows

        header, rows = draw_rows(result)
        _write(draws_output, lines(header, rows), read)
    if plot_path is not None and kind is not None:
        from cmhcost.report.uncertainty_plot import drawn, psa_figure

        picture = drawn(psa_figure, result, "cdf" if cumulative else "histogram", fmt=kind)
        _write(plot_path, picture, read)
    report(where, lambda f: f.psa(result), read)


def _write(path: Path, content: "bytes | object", read: list[Path]) -> None:
    from collections.abc import Iterable

    from cmhcost.report.atomic import write_atomic

    pieces = [content] if isinstance(content, bytes) else content
    assert isinstance(pieces, Iterable)
    write_atomic(path, pieces, read)
    note(f"wrote {path}")
