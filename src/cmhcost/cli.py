"""The command line: options in, a call to the core, a rendering out, errors to exit codes."""

from __future__ import annotations

import difflib
import functools
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cmhcost.errors import CmhcostError, DatasetError, ExitStatus
from cmhcost.files import write_atomic
from cmhcost.formats import OutputFormat
from cmhcost.limits import REFRESH_TIMEOUT_SECONDS, USD_TOLERANCE_PCT
from cmhcost.options import Category, Options, Per, PriceBasis, SchemaName, SortKey
from cmhcost.output import Destination, PipeClosed, deliver, to_stdout
from cmhcost.output import check as check_output
from cmhcost.paths import rate_layer_paths, shipped_services

if TYPE_CHECKING:
    from cmhcost.compare import Comparison
    from cmhcost.currency import RateTable
    from cmhcost.formats.interface import Chunks, Formatter
    from cmhcost.money import Range
    from cmhcost.records import Dataset

# Only typer and the modules above load at start-up; each command imports what it needs, so that
# a command never loads the parser, the models or the network stack unless it uses them.

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    help="What community mental health services cost against hospital care (WHO guidance, 2021).",
)

_state = {"debug": False}

F = TypeVar("F", bound=Callable[..., Any])


def _reported(command: F) -> F:
    """Turn cmhcost's errors into messages and exit 1; anything else into a bug-report line."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PipeClosed:
            raise typer.Exit(ExitStatus.SUCCESS) from None  # the reader has what it wanted
        except CmhcostError as exc:
            _error(str(exc))
            raise typer.Exit(exc.exit_status) from None
        except (typer.BadParameter, typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if _state["debug"]:
                raise
            _error(
                f"internal error ({type(exc).__name__}: {exc}). This is a bug in cmhcost; "
                "please report it with the command you ran (rerun with --debug for the traceback)."
            )
            raise typer.Exit(ExitStatus.INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _error(message: str) -> None:
    """Tell the user what went wrong, on standard error."""
    _note(message)


def _note(message: str) -> None:
    """Tell the user what was done (or a warning), on standard error; reports go to stdout."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def _print_version(asked: bool) -> None:
    if asked:
        from cmhcost import __version__

        sys.stdout.write(f"cmhcost {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print cmhcost's version and exit.",
        ),
    ] = False,
) -> None:
    _state["debug"] = debug


DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        help="Services file; repeat to overlay (later files add or replace records by id). "
        "Default: the shipped data.",
    ),
]
CategoryOption = Annotated[
    list[Category] | None, typer.Option("--category", help="Only this category (repeatable).")
]
CountryOption = Annotated[
    list[str] | None,
    typer.Option("--country", help="Only this ISO 3166-1 country code (repeatable)."),
]
RatesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rates",
        help="Exchange-rates file over the shipped and user rates; repeat to layer "
        "(later files win on the same date).",
    ),
]
RatesFileOption = Annotated[
    Path | None,
    typer.Option("--rates-file", help="The rates file to write. Default: the user's rates file."),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", help="Write the report to this file (replaced whole, or not at all)."),
]
RatesDateOption = Annotated[
    datetime | None,
    typer.Option(
        "--rates-date",
        formats=["%Y-%m-%d"],
        help="Convert everything at the rates of this date (default: each figure at its own "
        "conversion month).",
    ),
]
CurrencyOption = Annotated[str, typer.Option("--currency", help="Currency of every amount.")]
PerOption = Annotated[Per, typer.Option("--per", help="Period of every amount.")]
PriceYearOption = Annotated[
    int | None, typer.Option("--price-year", help="The year whose prices the amount is in.")
]
BasisOption = Annotated[
    PriceBasis | None,
    typer.Option(
        "--basis",
        help="ppp: inflate in the source country, then purchasing power parities (default); "
        "market: then the market exchange rate of the target year.",
    ),
]
IndexOption = Annotated[
    Path | None,
    typer.Option(
        "--index",
        help="Your own price index (CSV `year,index` or `year,pct`, or YAML) for the source country.",
    ),
]
ToCountryOption = Annotated[
    str | None,
    typer.Option(
        "--to-country", help="On the PPP basis: the country whose PPP converts into the currency."
    ),
]
CheckOption = Annotated[
    Path | None,
    typer.Option(
        "--check", help="Write nothing; exit 1 with a diff if this file differs from the report."
    ),
]


def _report(
    fmt: OutputFormat,
    output: Path | None,
    check: Path | None,
    render: Callable[[Formatter], Chunks],
    inputs: Sequence[Path] = (),
) -> None:
    """The one way a command prints its report: format, then stdout, --output or --check."""
    deliver(Destination(fmt, output, check), render, inputs, say=_note)


def _services_paths(data: list[Path] | None) -> list[Path]:
    return list(data) if data else [shipped_services()]


@app.command()
@_reported
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Services files to check. Default: the shipped data."),
    ] = None,
    rates: RatesOption = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources", help="Folder of the source documents: check every quote against them."
        ),
    ] = None,
) -> None:
    """Check services files: schema, cross-references, rates and (optionally) quotes."""
    from cmhcost.validation import validate as check_all

    paths = _services_paths(files)
    found = check_all(paths, rates or (), sources)
    places = ", ".join(map(str, paths))
    _note(f"ok: {found.records} records, {found.figures} figures in {places}")


def load_rate_table(rates: list[Path] | None) -> RateTable:
    """The one way every command reads rates: shipped, then the user's, then each --rates file."""
    from cmhcost.rates import load_rate_table as load_layers

    return load_layers(rates or ())


def _load(data: list[Path] | None, rates: list[Path] | None) -> tuple[Dataset, RateTable]:
    from cmhcost import dataset

    services = dataset.load_services(_services_paths(data))
    return services, load_rate_table(rates)


@app.command("compare")
@_reported
def compare_command(
    data: DataOption = None,
    rates: RatesOption = None,
    currency: CurrencyOption = "USD",
    per: PerOption = Per.DAY,
    category: CategoryOption = None,
    country: CountryOption = None,
    sort: Annotated[SortKey, typer.Option("--sort", help="Row order.")] = SortKey.CATEGORY,
    rates_date: RatesDateOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
    basis: BasisOption = None,
    price_year: Annotated[
        int | None,
        typer.Option(
            "--price-year", help="Take every amount to this price year (default basis: ppp)."
        ),
    ] = None,
    to_country: ToCountryOption = None,
    index: IndexOption = None,
) -> None:
    """Compare each service's cost with its hospital or institutional baseline."""
    if rates_date is not None and (basis or price_year):
        raise typer.BadParameter("use --rates-date or --basis/--price-year, not both")
    options = Options(
        currency=_currency_code(currency),
        per=per,
        rates_date=rates_date.date() if rates_date else None,
        categories=frozenset(category or ()),
        countries=_country_codes(country),
        sort=sort,
    )
    Destination(fmt, output, check)  # a usage error before any work
    services, table = _load(data, rates)
    result = _compared(services, table, options, (basis, price_year, to_country, index))
    _report(fmt, output, check, lambda f: f.compare(result), _inputs(data, rates))


def _compared(
    services: Dataset,
    table: RateTable,
    options: Options,
    price: tuple[PriceBasis | None, int | None, str | None, Path | None],
) -> Comparison:
    """The comparison at the stored rates, or on a price basis when one is asked."""
    from cmhcost.compare import compare

    basis, price_year, to_country, index = price
    if not (basis or price_year):
        return compare(services, table, options)
    from cmhcost.basis import BasisRequest, comparison_basis

    ask = BasisRequest(basis or PriceBasis.PPP, price_year, to_country, index)
    options, converter = comparison_basis(options, ask, table)
    return compare(services, table, options, converter)


def _inputs(data: list[Path] | None, rates: list[Path] | None, *more: Path) -> list[Path]:
    """Every file a command reads (rate layers included): an output path may be none of them."""
    return [*_services_paths(data), *(path for _, path in rate_layer_paths(rates or ())), *more]


def _currency_code(code: str) -> str:
    from cmhcost.codes import check_currency

    try:
        return check_currency(code.upper())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--currency") from None


def _country_codes(codes: list[str] | None) -> frozenset[str]:
    from cmhcost.codes import check_country

    try:
        return frozenset(check_country(code.upper()) for code in codes or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--country") from None


JsonOption = Annotated[bool, typer.Option("--json", help="Same as --format json.")]


def _data_label(paths: list[Path] | None) -> str:
    """The data files named in a drawing's footer (names only, so it is the same on any machine)."""
    return " + ".join(p.name for p in _services_paths(paths))


def _drawing(output: Path) -> str:
    from cmhcost.formats.plot import output_format

    try:
        return output_format(output)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--output") from None


@app.command()
@_reported
def plot(
    output: Annotated[
        Path | None,
        typer.Option("--output", help="The drawing: .svg, .png or .pdf (by extension)."),
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option("--check", help="Write nothing; exit 1 with a diff if this SVG differs."),
    ] = None,
    data: DataOption = None,
    rates: RatesOption = None,
    currency: CurrencyOption = "USD",
    per: PerOption = Per.DAY,
    category: CategoryOption = None,
    country: CountryOption = None,
    rates_date: RatesDateOption = None,
    basis: BasisOption = None,
    price_year: Annotated[
        int | None,
        typer.Option(
            "--price-year", help="Take every amount to this price year (default basis: ppp)."
        ),
    ] = None,
    to_country: ToCountryOption = None,
    index: IndexOption = None,
) -> None:
    """Draw a forest plot of the comparison: each ratio to its baseline, parity at 1.0."""
    if (output is None) == (check is None):
        raise typer.BadParameter("give --output PATH to draw, or --check PATH.svg to compare")
    target = output or check
    assert target is not None
    fmt = _drawing(target)
    if check is not None and fmt != "svg":
        raise typer.BadParameter("--check compares an SVG drawing", param_hint="--check")
    if rates_date is not None and (basis or price_year):
        raise typer.BadParameter("use --rates-date or --basis/--price-year, not both")
    from cmhcost.formats.plot import render

    options = Options(
        currency=_currency_code(currency),
        per=per,
        rates_date=rates_date.date() if rates_date else None,
        categories=frozenset(category or ()),
        countries=_country_codes(country),
    )
    services, table = _load(data, rates)
    comparison = _compared(services, table, options, (basis, price_year, to_country, index))
    drawing = render(comparison, fmt, source=_data_label(data))
    if check is not None:
        check_output(check, drawing, _note)
        return
    write_atomic(target, [drawing], _inputs(data, rates))
    _note(f"wrote {target}")


@app.command()
@_reported
def services(
    data: DataOption = None,
    category: CategoryOption = None,
    country: CountryOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """List the records, filtered by category and country."""
    from cmhcost import dataset

    countries = _country_codes(country)
    fmt = OutputFormat.JSON if as_json else fmt
    Destination(fmt, output, check)
    records = [
        s
        for s in dataset.load_services(_services_paths(data)).services.values()
        if (not category or s.in_category(category)) and (not countries or s.country in countries)
    ]
    _report(fmt, output, check, lambda f: f.services(records), _services_paths(data))


@app.command()
@_reported
def show(
    record: Annotated[str, typer.Argument(help="The record's id (see `cmhcost services`).")],
    data: DataOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    as_json: JsonOption = False,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """Print one record with all its figures, baselines, flags and provenance."""
    from cmhcost import dataset

    fmt = OutputFormat.JSON if as_json else fmt
    Destination(fmt, output, check)
    records = dataset.load_services(_services_paths(data)).services
    if record not in records:
        near = difflib.get_close_matches(record, list(records), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else "; `cmhcost services` lists them"
        raise CmhcostError(f"no record {record!r}{hint}")
    found = records[record]
    _report(fmt, output, check, lambda f: f.show(found), _services_paths(data))


def _amount(text: str) -> Range:
    from decimal import InvalidOperation

    from cmhcost.money import Range, check_range

    low, sep, high = text.partition("-") if not text.startswith("-") else (text, "", "")
    try:
        value = Range.of(low.strip(), high.strip() if sep else None)
    except (InvalidOperation, ValueError):
        raise typer.BadParameter(f"{text!r} is not an amount or a LOW-HIGH range") from None
    try:
        return check_range(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
@_reported
def convert(
    amount: Annotated[str, typer.Argument(help="An amount, or a LOW-HIGH range.")],
    currency: Annotated[str, typer.Argument(help="Its ISO 4217 currency code.")],
    to: Annotated[str, typer.Option("--to", help="The currency to convert to.")],
    on: Annotated[
        datetime | None,
        typer.Option(
            "--date", formats=["%Y-%m-%d"], help="Rates of this date (default: the latest stored)."
        ),
    ] = None,
    rates: RatesOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="The amount's country (default: the currency's issuer)."),
    ] = None,
    price_year: PriceYearOption = None,
    to_country: Annotated[
        str | None,
        typer.Option("--to-country", help="The country whose PPP converts into --to."),
    ] = None,
    target_year: Annotated[
        int | None,
        typer.Option("--target-year", help="Price year of the result (default: the latest)."),
    ] = None,
    basis: BasisOption = None,
    index: IndexOption = None,
) -> None:
    """Convert an amount between currencies, or to another price year on a PPP or market basis."""
    from cmhcost.currency import Converted

    value = _amount(amount)
    Destination(fmt, output, check)
    if to.upper() == "I$" or any(
        o is not None for o in (country, price_year, to_country, target_year, basis, index)
    ):
        from cmhcost.basis import BasisRequest, convert_on_basis

        if price_year is None:
            raise typer.BadParameter("give the amount's price year", param_hint="--price-year")
        ask = BasisRequest(basis or PriceBasis.PPP, target_year, to_country, index)
        table = None
        if ask.basis is PriceBasis.MARKET:
            table = load_rate_table(rates)
        source = _currency_code(currency)
        target = to if to.upper() == "I$" else _currency_code(to)
        result_on_basis = convert_on_basis(value, source, target, country, price_year, ask, table)
        inputs = [*(rates or ()), *([index] if index else [])]
        _report(fmt, output, check, lambda f: f.adjustment(value, result_on_basis), inputs)
        return
    source, target = _currency_code(currency), _currency_code(to)
    table = load_rate_table(rates)
    when = on.date() if on else table.latest_date()
    result = Converted(value, source, when, table.convert(value, source, target, when))
    _report(fmt, output, check, lambda f: f.convert(result), _inputs([], rates))


rates_app = typer.Typer(
    no_args_is_help=True, help="Show, add or refresh the exchange rates (shipped, user, --rates)."
)
app.add_typer(rates_app, name="rates")


@rates_app.command("list")
@_reported
def rates_list(
    rates: RatesOption = None,
    currency: Annotated[
        list[str] | None, typer.Option("--currency", help="Show every date of this currency.")
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """Show which currencies and dates are stored, their sources and the layer they come from."""
    from cmhcost.currency import rate_listing
    from cmhcost.rates import load_layers

    Destination(fmt, output, check)
    layers = [(layer.name, layer.rates.sets) for layer in load_layers(rates or ())]
    listing = rate_listing(layers, {c.upper() for c in currency or ()})
    _report(fmt, output, check, lambda f: f.rates(listing), _inputs([], rates))


@rates_app.command("add")
@_reported
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
    from cmhcost.paths import user_rates
    from cmhcost.rates import rate_to_add, stored_layer
    from cmhcost.refresh import dump_rates, merge

    added = rate_to_add(amount, currency, per, on.date(), source)
    path = rates_file or user_rates()
    stored, header = stored_layer(path)
    _write_rates(path, dump_rates(merge(stored, added).rates, header))
    _note(f"{path}: {amount} {currency} = 1 {per} on {on.date()} ({added.source})")


def _write_rates(path: Path, text: str) -> None:
    from cmhcost.paths import shipped_rates

    if path.resolve() == shipped_rates().resolve():
        raise CmhcostError(
            f"{path} is the rates file shipped with cmhcost; rates you add go to your own file "
            "(leave out --rates-file, or name another file)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


@rates_app.command("update")
@_reported
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
    from cmhcost.paths import user_rates
    from cmhcost.rates import load_layers, stored_layer
    from cmhcost.refresh import ForexPythonSource, dump_rates, merge

    if on is not None and on.date() > date.today():
        raise typer.BadParameter(f"{on.date()} is in the future", param_hint="--date")
    path = rates_file or user_rates()
    stored, header = stored_layer(path)
    below = [s for layer in load_layers() if layer.path != path for s in layer.rates.sets]
    codes = [_currency_code(c) for c in currency or ()]
    fetched = ForexPythonSource(timeout).fetch("EUR", on.date() if on else None)
    result = merge(stored, fetched, codes, below)
    for warning in result.warnings:
        _note(f"warning: {warning}")
    _write_rates(path, dump_rates(result.rates, header))
    _note(
        f"{path}: {len(result.added.rates)} rates for {result.added.date} from {result.added.source}"
    )


@app.command()
@_reported
def audit(
    data: DataOption = None,
    rates: RatesOption = None,
    all_checks: Annotated[
        bool,
        typer.Option(
            "--all",
            help=f"List every USD equivalent, not only those off by more than {USD_TOLERANCE_PCT}%.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """Recheck the data: USD equivalents off by more than 2%, budgets against stated costs, flags."""
    from cmhcost.audit import audit as run_audit

    Destination(fmt, output, check)
    services, table = _load(data, rates)
    found = run_audit(services, table, every_usd_check=all_checks)
    _report(fmt, output, check, lambda f: f.audit(found), _inputs(data, rates))


@app.command()
@_reported
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
    fmt: FormatOption = OutputFormat.TABLE,
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
    from cmhcost import dataset
    from cmhcost.errors import Problem, RateNotFoundError
    from cmhcost.pilot import check_pilots, currency_field, evaluate

    target = _currency_code(currency) if currency else None
    Destination(fmt, output, check)
    drawing = _drawing(plot_path) if plot_path else None
    pilots = dataset.load_services([file])
    guidance, table = _load(data, rates)
    check_pilots(pilots, guidance, str(file))
    prices = None
    if basis or price_year:
        goal = Options(currency=target or "USD")
        from cmhcost.basis import BasisRequest, comparison_basis

        ask = BasisRequest(basis or PriceBasis.PPP, price_year, to_country, index)
        prices = comparison_basis(goal, ask, table)[1]
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

    if plot_path is not None and drawing is not None:
        from cmhcost.formats.plot import render

        among = _pilot_comparison(data, rates, file, reports[0].currency)
        picture = render(
            among, drawing, set(pilots.services), _data_label([*_services_paths(data), file])
        )
        write_atomic(plot_path, [picture], _inputs(data, rates, file))
        _note(f"wrote {plot_path}")
    _report(fmt, output, check, lambda f: f.pilot(reports), _inputs(data, rates, file))


def _pilot_comparison(
    data: list[Path] | None, rates: list[Path] | None, file: Path, currency: str
) -> Comparison:
    """The guidance's comparison with the pilot's records among its services, per day."""
    from cmhcost.compare import compare

    services, table = _load([*_services_paths(data), file], rates)
    return compare(services, table, Options(currency=currency))


@app.command("init-pilot")
@_reported
def init_pilot(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented pilot template to start from."""
    from cmhcost.schema import json_schema
    from cmhcost.templates import PILOT_TEMPLATE

    if path.exists() and not force:
        raise CmhcostError(f"{path} exists; choose another path or pass --force")
    write_atomic(path, PILOT_TEMPLATE)
    schema_file = path.parent / "services.schema.json"
    if not schema_file.exists():
        write_atomic(schema_file, json_schema(SchemaName.SERVICES))  # for editors that validate
    _note(f"wrote {path} and {schema_file}; edit the pilot, then run: cmhcost pilot {path}")


@app.command()
@_reported
def schema(
    which: Annotated[SchemaName, typer.Argument(help="Which file's schema.")] = SchemaName.SERVICES,
) -> None:
    """Print the JSON Schema of the services or rates YAML files (for editors)."""
    from cmhcost.schema import json_schema

    to_stdout([json_schema(which)])


def main() -> None:
    """Entry point of the `cmhcost` console script."""
    app(prog_name="cmhcost")


if __name__ == "__main__":  # pragma: no cover
    main()
