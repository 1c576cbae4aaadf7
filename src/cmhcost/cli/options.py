"""The options commands share, and the small parsers that turn their text into checked values."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cmhcost.domain.choices import (
    AtExchangeRates,
    Category,
    Denomination,
    ForeignRoute,
    Per,
    PriceBasis,
    PriceBasisRequest,
    Selection,
    SortKey,
)
from cmhcost.domain.limits import EARLIEST_YEAR, LATEST_YEAR
from cmhcost.report import OutputFormat, Report, formats_for

if TYPE_CHECKING:
    from cmhcost.domain.money import Range

DataOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--data",
        help="Services file read after the shipped data; repeat to overlay (later files add or "
        "replace records by id). `cmhcost:services.yaml` or `cmhcost:examples/NAME.yaml` names a "
        "shipped file from anywhere (`cmhcost paths`).",
    ),
]
ShippedDataOption = Annotated[
    bool,
    typer.Option(
        "--shipped-data/--no-shipped-data",
        help="Read the shipped services before the --data files (default), or only the --data files.",
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


def format_option(*reports: Report) -> Any:
    """`--format`, offering only the formats that serve the command's reports.

    A format the command cannot print is a usage error before any file is read, and `--help`
    lists only the formats it can.
    """
    allowed = formats_for(*reports)
    names = ", ".join(f.value for f in allowed)

    def parse(value: str | OutputFormat) -> str:
        # The value, not the member: typer turns it into the member, or passes it on, by version
        # (Destination takes either).
        text = value.value if isinstance(value, OutputFormat) else value.lower()
        if text not in {f.value for f in allowed}:
            raise typer.BadParameter(f"{value!r} is not one of {names}")
        return text

    metavar = "[" + "|".join(f.value for f in allowed) + "]"
    return typer.Option("--format", parser=parse, metavar=metavar, help="Output format.")


FormatOption = Annotated[OutputFormat, format_option(Report.COMPARE)]
JsonOption = Annotated[bool, typer.Option("--json", help="Same as --format json.")]
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
    int | None,
    typer.Option(
        "--price-year",
        min=EARLIEST_YEAR,
        max=LATEST_YEAR,
        help="The year whose prices the amount is in.",
    ),
]
TargetPriceYearOption = Annotated[
    int | None,
    typer.Option(
        "--price-year",
        min=EARLIEST_YEAR,
        max=LATEST_YEAR,
        help="Take every amount to this price year (default basis: ppp).",
    ),
]
BasisOption = Annotated[
    PriceBasis | None,
    typer.Option(
        "--basis",
        help="ppp: inflate in the source country, then purchasing power parities (default); "
        "market: then the market exchange rate of the target year.",
    ),
]
ForeignRouteOption = Annotated[
    ForeignRoute,
    typer.Option(
        "--foreign-currency",
        help="An amount in another country's currency (US dollars from India), on a price basis. "
        "local: back to the local currency at the rate of its conversion, local index, then PPP "
        "(Turner et al. 2019); issuer: the issuing country's index and PPP.",
    ),
]
IndexOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--index",
        help="Your own price index (CSV `year,index` or `year,pct`, or YAML) for the source "
        "country, or a World Bank bulk download (one row per country) for every country in it; "
        "repeat for more countries (a later file wins for a country both cover).",
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


def currency_code(code: str) -> str:
    """An ISO 4217 code given to --currency, checked; a usage error otherwise."""
    from cmhcost.domain.codes import check_currency

    try:
        return check_currency(code.upper())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--currency") from None


def country_codes(codes: list[str] | None) -> frozenset[str]:
    """The ISO 3166-1 codes given to --country, checked; a usage error otherwise."""
    from cmhcost.domain.codes import check_country

    try:
        return frozenset(check_country(code.upper()) for code in codes or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--country") from None


def selection(
    *,
    category: list[Category] | None,
    country: list[str] | None,
    sort: SortKey = SortKey.CATEGORY,
) -> Selection:
    """The rows a report is asked for (--category, --country) and their order (--sort)."""
    return Selection(
        categories=frozenset(category or ()), countries=country_codes(country), sort=sort
    )


def denomination(
    *,
    currency: str,
    per: Per,
    rates_date: datetime | None,
    price: PriceBasisRequest | None,
) -> Denomination:
    """The money a comparison is asked in, at one date's rates or on a price basis, never both.

    A price basis asked is resolved (its year defaulted) with the price tables, by
    `price_basis.comparison_basis`; until then the amounts are at exchange rates.
    """
    if rates_date is not None and price is not None:
        raise typer.BadParameter("use --rates-date or --basis/--price-year, not both")
    on = rates_date.date() if rates_date else None
    return Denomination(currency=currency_code(currency), per=per, policy=AtExchangeRates(on))


def price_request(
    basis: PriceBasis | None,
    price_year: int | None,
    to_country: str | None = None,
    foreign: ForeignRoute = ForeignRoute.LOCAL,
) -> PriceBasisRequest | None:
    """The price basis asked with --basis, --price-year, --to-country and --foreign-currency;
    None when neither a basis nor a year is asked."""
    if basis is None and price_year is None:
        return None
    return PriceBasisRequest(
        basis=basis or PriceBasis.PPP,
        target_year=price_year,
        to_country=to_country,
        foreign=foreign,
    )


def amount_range(text: str) -> Range:
    """An amount, or a LOW-HIGH range, checked; a usage error otherwise."""
    from decimal import InvalidOperation

    from cmhcost.domain.money import Range, check_range

    low, sep, high = text.partition("-") if not text.startswith("-") else (text, "", "")
    try:
        value = Range.of(low.strip(), high.strip() if sep else None)
    except (InvalidOperation, ValueError):
        raise typer.BadParameter(f"{text!r} is not an amount or a LOW-HIGH range") from None
    try:
        return check_range(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def drawing(output: Path, option: str = "--output") -> str:
    """The drawing's format, by the extension of its path; a usage error naming `option`."""
    from cmhcost.report.plot import output_format

    try:
        return output_format(output)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


def international_dollars(currency: str, basis: PriceBasis | None) -> tuple[str, PriceBasis | None]:
    """`--currency I$` is US dollars on the PPP basis: the currency and basis it stands for."""
    if currency.strip().upper() != "I$":
        return currency, basis
    if basis is PriceBasis.MARKET:
        raise typer.BadParameter(
            "I$ (international dollars) needs --basis ppp", param_hint="--currency"
        )
    return "USD", PriceBasis.PPP
