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

from cmhcost.errors import CmhcostError, ExitStatus
from cmhcost.files import shipped_rates, shipped_services, write_atomic
from cmhcost.formats import OutputFormat
from cmhcost.limits import REFRESH_TIMEOUT_SECONDS, USD_TOLERANCE_PCT
from cmhcost.options import Category, Options, Per, PriceBasis, SchemaName, SortKey
from cmhcost.output import Destination, PipeClosed, deliver, to_stdout
from cmhcost.output import check as check_output

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
    add_completion=False,
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


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
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
    Path | None, typer.Option("--rates", help="Exchange-rates file. Default: the shipped rates.")
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
    found = check_all(paths, rates or shipped_rates(), sources)
    places = ", ".join(map(str, paths))
    _note(f"ok: {found.records} records, {found.figures} figures in {places}")


def _load(data: list[Path] | None, rates: Path | None) -> tuple[Dataset, RateTable]:
    from cmhcost import dataset
    from cmhcost.currency import RateTable

    services = dataset.load_services(_services_paths(data))
    rate_file = dataset.load_rates(rates or shipped_rates())
    return services, RateTable(rate_file.sets)


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


def _inputs(data: list[Path] | None, rates: Path | None, *more: Path) -> list[Path]:
    """Every file a command reads: an output path may be none of them."""
    return [*_services_paths(data), rates or shipped_rates(), *more]


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
    from cmhcost import dataset
    from cmhcost.currency import Converted, RateTable

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
            table = RateTable(dataset.load_rates(rates or shipped_rates()).sets)
        source = _currency_code(currency)
        target = to if to.upper() == "I$" else _currency_code(to)
        result_on_basis = convert_on_basis(value, source, target, country, price_year, ask, table)
        inputs = [p for p in (rates, index) if p is not None]
        _report(fmt, output, check, lambda f: f.adjustment(value, result_on_basis), inputs)
        return
    source, target = _currency_code(currency), _currency_code(to)
    table = RateTable(dataset.load_rates(rates or shipped_rates()).sets)
    when = on.date() if on else table.latest_date()
    result = Converted(value, source, when, table.convert(value, source, target, when))
    _report(fmt, output, check, lambda f: f.convert(result), [rates or shipped_rates()])


rates_app = typer.Typer(no_args_is_help=True, help="Show or refresh the stored exchange rates.")
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
    """Show which currencies and dates are stored, and their sources."""
    from cmhcost import dataset
    from cmhcost.currency import rate_listing

    Destination(fmt, output, check)
    rate_file = dataset.load_rates(rates or shipped_rates())
    listing = rate_listing(rate_file.sets, {c.upper() for c in currency or ()})
    _report(fmt, output, check, lambda f: f.rates(listing), [rates or shipped_rates()])


@rates_app.command("update")
@_reported
def rates_update(
    rates: RatesOption = None,
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
    """Fetch ECB-based rates online (forex-python) and merge them into the rates file."""
    from cmhcost import dataset
    from cmhcost.refresh import ForexPythonSource, dump_rates, leading_comments, merge

    if on is not None and on.date() > date.today():
        raise typer.BadParameter(f"{on.date()} is in the future", param_hint="--date")
    path = rates or shipped_rates()
    text = dataset.read_text(path)
    stored = dataset.parse_rates(text, str(path))
    codes = [_currency_code(c) for c in currency or ()]
    fetched = ForexPythonSource(timeout).fetch("EUR", on.date() if on else None)
    result = merge(stored, fetched, codes)
    for warning in result.warnings:
        _note(f"warning: {warning}")
    write_atomic(path, dump_rates(result.rates, leading_comments(text)))
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
    from cmhcost.pilot import check_pilots, evaluate

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
    reports = [evaluate(s, guidance, table, target, prices) for s in pilots.services.values()]
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
    data: list[Path] | None, rates: Path | None, file: Path, currency: str
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
