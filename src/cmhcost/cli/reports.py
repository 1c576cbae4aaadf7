"""The report commands: compare, plot, services, show, convert and audit."""

import difflib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cmhcost.cli.exits import note, reported
from cmhcost.cli.files import (
    data_label,
    inputs,
    load,
    load_rate_table,
    report,
    services_paths,
    with_shipped,
)
from cmhcost.cli.options import (
    BasisOption,
    CategoryOption,
    CheckOption,
    CountryOption,
    CurrencyOption,
    DataOption,
    ForeignRouteOption,
    FormatOption,
    IndexOption,
    JsonOption,
    OutputOption,
    PerOption,
    PriceYearOption,
    RatesDateOption,
    RatesOption,
    ShippedDataOption,
    TargetPriceYearOption,
    ToCountryOption,
    amount_range,
    currency_code,
    denomination,
    drawing,
    format_option,
    international_dollars,
    price_request,
    selection,
)
from cmhcost.domain.choices import (
    INTERNATIONAL_DOLLAR,
    Denomination,
    ForeignRoute,
    Per,
    PriceBasis,
    PriceBasisRequest,
    Selection,
    SortKey,
)
from cmhcost.domain.errors import CmhcostError
from cmhcost.domain.limits import EARLIEST_YEAR, LATEST_YEAR, USD_TOLERANCE_PCT
from cmhcost.report import OutputFormat, Report
from cmhcost.report.atomic import write_atomic
from cmhcost.report.delivery import Destination
from cmhcost.report.delivery import check as check_output

if TYPE_CHECKING:
    from cmhcost.cli.price_basis import PricedComparison
    from cmhcost.conversion.exchange import RateTable
    from cmhcost.engine.compare import Comparison
    from cmhcost.schema.dataset import Dataset


@reported
def compare_command(
    ctx: typer.Context,
    data: DataOption = None,
    shipped_data: ShippedDataOption = True,
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
    price_year: TargetPriceYearOption = None,
    to_country: ToCountryOption = None,
    index: IndexOption = None,
    foreign: ForeignRouteOption = ForeignRoute.LOCAL,
) -> None:
    """Compare each service's cost with its hospital or institutional baseline."""
    data = with_shipped(data, shipped_data)
    currency, basis = international_dollars(currency, basis)
    price = price_request(basis, price_year, to_country, foreign)
    rows = selection(category=category, country=country, sort=sort)
    money = denomination(currency=currency, per=per, rates_date=rates_date, price=price)
    where = Destination(fmt, output, check)  # a usage error before any work
    services, table = load(data, rates)
    result = compared(services, table, rows, money, price, index, files=(data, rates), ctx=ctx)
    report(where, lambda f: f.compare(result), inputs(data, rates))


def compared(
    services: "Dataset",
    table: "RateTable",
    rows: Selection,
    money: Denomination,
    price: PriceBasisRequest | None = None,
    index: list[Path] | None = None,
    files: tuple[list[Path] | None, list[Path] | None] = (None, None),
    ctx: typer.Context | None = None,
) -> "Comparison":
    """The comparison at the stored rates, or on a price basis when one is asked.

    Its heading records the command typed and the files and tables it was made from.
    """
    from cmhcost.cli.stamping import command_line, make_stamp
    from cmhcost.engine.compare import compare
    from cmhcost.engine.heading import heading_of

    data, rate_files = files
    if price is None:
        stamp = make_stamp(services_paths(data), table, rate_files or ())
        heading = heading_of(money, command_line(ctx), stamp)
        return compare(services, table, rows, money, heading=heading)
    priced = on_price_basis(money, price, table, index)
    tables = priced.converter.tables
    stamp = make_stamp(services_paths(data), table, rate_files or (), tables, index or ())
    heading = heading_of(priced.denomination, command_line(ctx), stamp)
    converter = priced.converter
    return compare(services, table, rows, priced.denomination, converter=converter, heading=heading)


def on_price_basis(
    money: Denomination,
    price: PriceBasisRequest,
    table: "RateTable",
    index: list[Path] | None = None,
) -> "PricedComparison":
    """The money and converter that take every amount to one price year and basis."""
    from cmhcost.cli.price_basis import comparison_basis

    return comparison_basis(money, price, table, index)


@reported
def plot(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="The drawing: .svg, .png or .pdf (by extension)."),
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option("--check", help="Write nothing; exit 1 with a diff if this SVG differs."),
    ] = None,
    data: DataOption = None,
    shipped_data: ShippedDataOption = True,
    rates: RatesOption = None,
    currency: CurrencyOption = "USD",
    per: PerOption = Per.DAY,
    category: CategoryOption = None,
    country: CountryOption = None,
    rates_date: RatesDateOption = None,
    basis: BasisOption = None,
    price_year: TargetPriceYearOption = None,
    to_country: ToCountryOption = None,
    index: IndexOption = None,
    foreign: ForeignRouteOption = ForeignRoute.LOCAL,
) -> None:
    """Draw a forest plot of the comparison: each ratio to its baseline, parity at 1.0."""
    data = with_shipped(data, shipped_data)
    currency, basis = international_dollars(currency, basis)
    if (output is None) == (check is None):
        raise typer.BadParameter("give --output PATH to draw, or --check PATH.svg to compare")
    target = output or check
    assert target is not None
    fmt = drawing(target)
    if check is not None and fmt != "svg":
        raise typer.BadParameter("--check compares an SVG drawing", param_hint="--check")
    price = price_request(basis, price_year, to_country, foreign)
    rows = selection(category=category, country=country)
    money = denomination(currency=currency, per=per, rates_date=rates_date, price=price)
    from cmhcost.report.plot import render

    services, table = load(data, rates)
    comparison = compared(services, table, rows, money, price, index, files=(data, rates), ctx=ctx)
    picture = render(comparison, fmt, source=data_label(data))
    if check is not None:
        check_output(check, picture, note)
        return
    write_atomic(target, [picture], inputs(data, rates))
    note(f"wrote {target}")


@reported
def services(
    data: DataOption = None,
    shipped_data: ShippedDataOption = True,
    category: CategoryOption = None,
    country: CountryOption = None,
    fmt: Annotated[OutputFormat, format_option(Report.SERVICES)] = OutputFormat.TABLE,
    as_json: JsonOption = False,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """List the records, filtered by category and country."""
    data = with_shipped(data, shipped_data)
    from cmhcost.engine.selection import selected
    from cmhcost.loading import reader

    chosen = selection(category=category, country=country)
    fmt = OutputFormat.JSON if as_json else fmt
    where = Destination(fmt, output, check)  # a usage error before any work
    everything = reader.load_services(services_paths(data)).services.values()
    records = list(selected(everything, chosen))
    report(where, lambda f: f.services(records), services_paths(data))


@reported
def show(
    record: Annotated[str, typer.Argument(help="The record's id (see `cmhcost services`).")],
    data: DataOption = None,
    shipped_data: ShippedDataOption = True,
    fmt: Annotated[OutputFormat, format_option(Report.SHOW)] = OutputFormat.TABLE,
    as_json: JsonOption = False,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """Print one record with all its figures, baselines, flags and provenance."""
    data = with_shipped(data, shipped_data)
    from cmhcost.loading import reader

    fmt = OutputFormat.JSON if as_json else fmt
    where = Destination(fmt, output, check)  # a usage error before any work
    records = reader.load_services(services_paths(data)).services
    if record not in records:
        near = difflib.get_close_matches(record, list(records), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else "; `cmhcost services` lists them"
        raise CmhcostError(f"no record {record!r}{hint}")
    found = records[record]
    report(where, lambda f: f.show(found), services_paths(data))


@reported
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
    fmt: Annotated[
        OutputFormat, format_option(Report.CONVERT, Report.ADJUSTMENT)
    ] = OutputFormat.TABLE,
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
        typer.Option(
            "--target-year",
            min=EARLIEST_YEAR,
            max=LATEST_YEAR,
            help="Price year of the result (default: the latest).",
        ),
    ] = None,
    basis: BasisOption = None,
    index: IndexOption = None,
    foreign: ForeignRouteOption = ForeignRoute.LOCAL,
) -> None:
    """Convert an amount between currencies, or to another price year on a PPP or market basis."""
    from cmhcost.conversion.exchange import Converted

    value = amount_range(amount)
    where = Destination(fmt, output, check)  # a usage error before any work
    if to.upper() == INTERNATIONAL_DOLLAR or any(
        o is not None for o in (country, price_year, to_country, target_year, basis, index)
    ):
        from cmhcost.cli.price_basis import AmountToPrice, convert_on_basis

        if price_year is None:
            raise typer.BadParameter("give the amount's price year", param_hint="--price-year")
        ask = PriceBasisRequest(
            basis=basis or PriceBasis.PPP,
            target_year=target_year,
            to_country=to_country,
            foreign=foreign,
        )
        table = load_rate_table(rates)  # the market rate, or a foreign amount's way home
        given = AmountToPrice(
            value=value, currency=currency_code(currency), country=country, price_year=price_year
        )
        target = INTERNATIONAL_DOLLAR if to.upper() == INTERNATIONAL_DOLLAR else currency_code(to)
        result_on_basis = convert_on_basis(given, target, ask, table, index)
        read = [*(rates or ()), *(index or ())]
        report(where, lambda f: f.adjustment(value, result_on_basis), read)
        return
    source, target = currency_code(currency), currency_code(to)
    table = load_rate_table(rates)
    when = on.date() if on else table.latest_date()
    result = Converted(value, source, when, table.convert(value, source, target, when))
    report(where, lambda f: f.convert(result), inputs([], rates))


@reported
def audit(
    data: DataOption = None,
    shipped_data: ShippedDataOption = True,
    rates: RatesOption = None,
    all_checks: Annotated[
        bool,
        typer.Option(
            "--all",
            help=f"List every USD equivalent, not only those off by more than {USD_TOLERANCE_PCT}%.",
        ),
    ] = False,
    fmt: Annotated[OutputFormat, format_option(Report.AUDIT)] = OutputFormat.TABLE,
    output: OutputOption = None,
    check: CheckOption = None,
) -> None:
    """Recheck the data: USD equivalents off by more than 2%, budgets against stated costs, flags."""
    data = with_shipped(data, shipped_data)
    from cmhcost.engine.audit import audit as run_audit

    where = Destination(fmt, output, check)  # a usage error before any work
    services, table = load(data, rates)
    from cmhcost.cli.stamping import make_stamp

    stamp = make_stamp(services_paths(data), table, rates or ())
    found = run_audit(services, table, every_usd_check=all_checks, stamp=stamp)
    report(where, lambda f: f.audit(found), inputs(data, rates))
