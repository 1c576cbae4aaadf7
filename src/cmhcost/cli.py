"""The command line: options in, a call to the core, a rendering out, errors to exit codes."""

from __future__ import annotations

import difflib
import functools
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cmhcost.errors import CmhcostError, DatasetError
from cmhcost.files import write_atomic
from cmhcost.options import Category, Format, Per, PilotFormat, SchemaName, SortKey, TextOrJson
from cmhcost.paths import rate_layer_paths, shipped_services

if TYPE_CHECKING:
    from cmhcost.currency import RateTable
    from cmhcost.dataset import Dataset
    from cmhcost.money import Range

# Only typer and the modules above load at start-up; each command imports what it needs, so that
# a report answered from the cache never loads pydantic, PyYAML or the network stack.

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
        except CmhcostError as exc:
            _error(str(exc))
            raise typer.Exit(1) from None
        except (typer.BadParameter, typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if _state["debug"]:
                raise
            _error(
                f"internal error ({type(exc).__name__}: {exc}). This is a bug in cmhcost; "
                "please report it with the command you ran (rerun with --debug for the traceback)."
            )
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def _error(message: str) -> None:
    from cmhcost.consoles import error_console

    for line in message.splitlines():
        error_console().print(line, markup=False, highlight=False)


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
    list[str] | None, typer.Option("--country", help="Only this ISO country code (repeatable).")
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
    from cmhcost import dataset

    paths = _services_paths(files)
    problems = []
    try:
        data = dataset.load_services(paths)
    except DatasetError as exc:
        problems, data = exc.problems, None
    try:
        table = load_rate_table(rates)
    except DatasetError as exc:
        problems += exc.problems
        table = None
    if data is not None and table is not None:
        problems += dataset.check_currencies(data, table)
    if data is not None and sources is not None:
        problems += dataset.check_sources(data, sources)
    if problems:
        raise DatasetError(problems)
    assert data is not None
    figures = sum(1 for _ in dataset.iter_figures(data))
    _error(f"ok: {len(data.services)} records, {figures} figures in {', '.join(map(str, paths))}")


def load_rate_table(rates: list[Path] | None) -> RateTable:
    """The one way every command reads rates: shipped, then the user's, then each --rates file."""
    from cmhcost.rates import load_rate_table as load_layers

    return load_layers(rates or ())


def _load(data: list[Path] | None, rates: list[Path] | None) -> tuple[Dataset, RateTable]:
    from cmhcost import dataset

    services = dataset.load_services(_services_paths(data))
    return services, load_rate_table(rates)


def _write(chunks: Iterable[str], output: Path | None) -> None:
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    write_atomic(output, chunks)
    _error(f"wrote {output}")


@app.command("compare")
@_reported
def compare_command(
    data: DataOption = None,
    rates: RatesOption = None,
    currency: Annotated[str, typer.Option("--currency", help="Currency of every amount.")] = "USD",
    per: Annotated[Per, typer.Option("--per", help="Period of every amount.")] = Per.DAY,
    category: CategoryOption = None,
    country: CountryOption = None,
    sort: Annotated[SortKey, typer.Option("--sort", help="Row order.")] = SortKey.CATEGORY,
    rates_date: Annotated[
        datetime | None,
        typer.Option(
            "--rates-date",
            formats=["%Y-%m-%d"],
            help="Convert everything at the rates of this date (default: each figure at its own conversion month).",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the report to this file.")
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option("--check", help="Exit 1 with a diff if this file differs from the report."),
    ] = None,
) -> None:
    """Compare each service's cost with its hospital or institutional baseline."""
    options = {  # checked when the report is computed: a cached report's options were valid
        "currency": currency.upper(),
        "per": per.value,
        "rates_date": rates_date.date().isoformat() if rates_date else None,
        "categories": sorted(c.value for c in category or ()),
        "countries": sorted(c.upper() for c in country or ()),
        "sort": sort.value,
        "format": fmt.value,
    }
    if fmt is Format.TABLE and output is None and check is None:
        to_terminal(_comparison(data, rates, options))
        return
    text = _cached_report(data, rates, options)
    if check is not None:
        _check_file(check, text)
    else:
        _write([text], output)


def _comparison(data: list[Path] | None, rates: list[Path] | None, options: dict[str, Any]) -> Any:
    from datetime import date as day

    from cmhcost.compare import Options, compare

    services, table = _load(data, rates)
    chosen = Options(
        currency=_currency_code(options["currency"]),
        per=Per(options["per"]),
        rates_date=day.fromisoformat(options["rates_date"]) if options["rates_date"] else None,
        categories=frozenset(Category(c) for c in options["categories"]),
        countries=frozenset(options["countries"]),
        sort=SortKey(options["sort"]),
    )
    return compare(services, table, chosen)


def _cached_report(
    data: list[Path] | None, rates: list[Path] | None, options: dict[str, Any]
) -> str:
    """A machine-format report, from the cache when the same inputs made it before."""
    from cmhcost import cache

    layers = [path for _, path in rate_layer_paths(rates or ())]
    key = cache.report_key([*_services_paths(data), *layers], options)
    text = cache.load(key) if key else None
    if text is None:
        from cmhcost.render import render_text

        text = render_text(_comparison(data, rates, options), Format(options["format"]))
        if key:
            cache.store(key, text)
    return text


def to_terminal(result: Any) -> None:
    """The comparison as a table on standard output."""
    from cmhcost.render import output_console, to_table

    to_table(result, output_console())


def _currency_code(code: str) -> str:
    from cmhcost.codes import check_currency

    try:
        return check_currency(code.upper())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--currency") from None


def _check_file(path: Path, expected: str) -> None:
    from cmhcost.dataset import read_text

    current = read_text(path) if path.exists() else ""
    if current == expected:
        _error(f"{path} is up to date")
        return
    diff = difflib.unified_diff(
        current.splitlines(), expected.splitlines(), str(path), "regenerated", lineterm="", n=1
    )
    lines = list(diff)
    _error(
        "\n".join(
            lines[:40] + ([f"... ({len(lines) - 40} more diff lines)"] if len(lines) > 40 else [])
        )
    )
    raise CmhcostError(f"{path} is out of date: regenerate it with the same command and --output")


@app.command()
@_reported
def services(
    data: DataOption = None,
    category: CategoryOption = None,
    country: CountryOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the records as JSON.")] = False,
) -> None:
    """List the records, filtered by category and country."""
    from cmhcost import dataset
    from cmhcost.render import output_console, services_table

    records = [
        s
        for s in dataset.load_services(_services_paths(data)).services.values()
        if (not category or s.category in category)
        and (not country or s.country in {c.upper() for c in country})
    ]
    if as_json:
        sys.stdout.write(
            json.dumps([s.model_dump(mode="json") for s in records], indent=2, ensure_ascii=False)
            + "\n"
        )
    else:
        output_console().print(services_table(records))


@app.command()
@_reported
def show(
    record: Annotated[str, typer.Argument(help="The record's id (see `cmhcost services`).")],
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Print one record with all its figures, baselines, flags and provenance."""
    from cmhcost import dataset
    from cmhcost.render import output_console, show_record

    records = dataset.load_services(_services_paths(data)).services
    if record not in records:
        near = difflib.get_close_matches(record, list(records), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else "; `cmhcost services` lists them"
        raise CmhcostError(f"no record {record!r}{hint}")
    if as_json:
        sys.stdout.write(
            json.dumps(records[record].model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
        )
    else:
        show_record(records[record], output_console())


def _amount(text: str) -> Range:
    from decimal import InvalidOperation

    from cmhcost.money import Range

    low, sep, high = text.partition("-") if not text.startswith("-") else (text, "", "")
    try:
        value = Range.of(low.strip(), high.strip() if sep else None)
    except (InvalidOperation, ValueError):
        raise typer.BadParameter(f"{text!r} is not an amount or a LOW-HIGH range") from None
    if not value.low.is_finite() or not value.high.is_finite():
        raise typer.BadParameter(f"{text!r} is not a finite amount")
    return value


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
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = TextOrJson.TEXT,
) -> None:
    """Convert an amount between currencies with the stored rates."""
    from cmhcost.render import fixed, span

    value, source, target = _amount(amount), _currency_code(currency), _currency_code(to)
    table = load_rate_table(rates)
    when = on.date() if on else table.latest_date()
    result = table.convert(value, source, target, when)
    if fmt is TextOrJson.JSON:
        record = {
            "amount": str(value) if not value.is_point else str(value.low),
            "currency": source,
            "to": target,
            "result": str(span(result.amount, lambda d: fixed(d), "-")),
            "rate": str(result.rate),
            "rate_date": result.rate_date.isoformat() if result.rate_date else when.isoformat(),
            "source": result.source,
        }
        sys.stdout.write(json.dumps(record, indent=2) + "\n")
        return
    used = (
        f"rate {result.rate:.6g}, {result.rate_date}, {result.source}"
        if result.quotes
        else "same currency"
    )
    sys.stdout.write(f"{span(value, str)} {source} = {span(result.amount)} {target} ({used})\n")


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
) -> None:
    """Show which currencies and dates are stored, their sources and the layer they come from."""
    from cmhcost.rates import load_layers
    from cmhcost.render import output_console, rates_table

    layers = [(layer.name, layer.rates.sets) for layer in load_layers(rates or ())]
    output_console().print(rates_table(layers, {c.upper() for c in currency or ()}))


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
    _error(f"{path}: {amount} {currency} = 1 {per} on {on.date()} ({added.source})")


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
    ] = 10.0,
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
        _error(f"warning: {warning}")
    _write_rates(path, dump_rates(result.rates, header))
    _error(
        f"{path}: {len(result.added.rates)} rates for {result.added.date} from {result.added.source}"
    )


@app.command()
@_reported
def audit(
    data: DataOption = None,
    rates: RatesOption = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = TextOrJson.TEXT,
    all_checks: Annotated[
        bool,
        typer.Option(
            "--all", help="List every USD equivalent, not only those off by more than 2%."
        ),
    ] = False,
) -> None:
    """Recheck the data: USD equivalents more than 2% off, budgets against stated costs, flags."""
    from cmhcost.audit import check_budgets, check_usd, flagged
    from cmhcost.render import audit_json, output_console, print_audit

    services, table = _load(data, rates)
    checks = [c for c in check_usd(services, table) if all_checks or c.off]
    budgets = list(check_budgets(services))
    flags = list(flagged(services))
    if fmt is TextOrJson.JSON:
        sys.stdout.write(audit_json(checks, budgets, flags))
    else:
        print_audit(checks, budgets, flags, output_console())


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
    fmt: Annotated[
        PilotFormat, typer.Option("--format", help="Output format.")
    ] = PilotFormat.TABLE,
) -> None:
    """Appraise a proposed pilot: unit cost, baseline, break-even, saving, rank in the guidance."""
    from cmhcost import dataset
    from cmhcost.errors import Problem, RateNotFoundError
    from cmhcost.pilot import currency_field, evaluate
    from cmhcost.render import output_console, pilot_json, pilot_markdown, print_pilots

    pilots = dataset.load_services([file])
    guidance, table = _load(data, rates)
    target = _currency_code(currency) if currency else None
    reports, problems = [], list[Problem]()
    for service in pilots.services.values():
        try:
            reports.append(evaluate(service, guidance, table, target))
        except RateNotFoundError as exc:
            loc = currency_field(service, exc.currency)
            problems.append(pilots.origins[service.id].problem(service.id, loc, str(exc)))
    if problems:
        raise DatasetError(problems)
    if fmt is PilotFormat.JSON:
        sys.stdout.write(pilot_json(reports))
    elif fmt is PilotFormat.MARKDOWN:
        sys.stdout.write(pilot_markdown(reports))
    else:
        print_pilots(reports, output_console())


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
    _error(f"wrote {path} and {schema_file}; edit the pilot, then run: cmhcost pilot {path}")


@app.command()
@_reported
def schema(
    which: Annotated[SchemaName, typer.Argument(help="Which file's schema.")] = SchemaName.SERVICES,
) -> None:
    """Print the JSON Schema of the services or rates YAML files (for editors)."""
    from cmhcost.schema import json_schema

    sys.stdout.write(json_schema(which))


def main() -> None:
    """Entry point of the `cmhcost` console script."""
    app(prog_name="cmhcost")


if __name__ == "__main__":  # pragma: no cover
    main()
