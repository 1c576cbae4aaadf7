"""The two-step adjustment, worked by hand from the World Bank tables in ../shared/data.

Each expected figure is the arithmetic written in the test: CPI inflation (FP.CPI.TOTL.ZG, annual %)
chained from the year after the price year to the target year, then PPP (PA.NUS.PPP, local currency
units per international $) of the target year.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.conversion.exchange import RateTable
from cmhcost.conversion.prices import (
    Indicator,
    IndicatorKind,
    PriceDataError,
    PriceUsageError,
    Tables,
    Target,
    TargetYearError,
    adjust,
    annual_rate,
    inflation_factor,
    parse_indicator,
)
from cmhcost.domain.choices import PriceBasis
from cmhcost.domain.money import Range
from cmhcost.loading.price_tables import shipped_tables
from tests.conftest import rate_set

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "scripts"))
import build_prices  # noqa: E402

CENT = Decimal("0.01")
PPP_2024 = Target(PriceBasis.PPP, 2024, "USD")


@pytest.fixture(scope="module")
def tables() -> Tables:
    return shipped_tables()


def chain(*pct: str) -> Decimal:
    """prod(1 + pct / 100): the hand arithmetic of step 1."""
    factor = Decimal(1)
    for value in pct:
        factor *= 1 + Decimal(value) / 100
    return factor


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def ppp(amount: str, currency: str, country: str, year: int, tables: Tables) -> Range:
    return adjust(Range.of(amount), currency, country, year, PPP_2024, tables).amount


def test_us_1460_usd_of_2015_in_2024_international_dollars(tables: Tables) -> None:
    # US CPI % 2016..2024: 1.26158320570536, 2.13011000365961, 2.44258329692817, 1.81221007526021,
    # 1.23358439630629, 4.69785886363742, 8.00279982052121, 4.11633838374488, 2.94952520485207
    factor = chain(
        "1.26158320570536", "2.13011000365961", "2.44258329692817", "1.81221007526021",
        "1.23358439630629", "4.69785886363742", "8.00279982052121", "4.11633838374488",
        "2.94952520485207",
    )  # fmt: skip
    assert cents(factor * 1000) == Decimal("1323.49")  # factor 1.32349
    # PPP US 2024 = 1 (international dollars are US dollars): 1460 x 1.32349 / 1 x 1 = 1932.29
    result = adjust(Range.of(1460), "USD", "US", 2015, PPP_2024, tables)
    assert result.inflation_factor == factor
    assert cents(result.amount.low) == Decimal("1932.29")
    assert result.ppp_from == result.ppp_to == 1
    assert (result.country, result.to_country) == ("US", "US")


def test_new_zealand_dollars_of_2020(tables: Tables) -> None:
    # NZ CPI % 2021..2024: 3.94112060778728, 7.17222476016441, 5.73316283034957, 2.92279782301957
    # = 1.212251; PPP NZ 2024 = 1.463912; 297 x 1.212251 / 1.463912 = 245.94
    factor = chain("3.94112060778728", "7.17222476016441", "5.73316283034957", "2.92279782301957")
    assert cents(297 * factor / Decimal("1.463912")) == Decimal("245.94")
    assert cents(ppp("297", "NZD", "NZ", 2020, tables).low) == Decimal("245.94")


def test_pounds_of_2021_to_international_dollars_and_to_new_zealand_dollars(tables: Tables) -> None:
    # GB CPI % 2022..2024: 7.92204883147902, 6.79396706793963, 3.2715729463592 = 1.190249;
    # PPP GB 2024 = 0.664153: 127 x 1.190249 / 0.664153 = 227.60 (Link House, about I$ 228)
    factor = chain("7.92204883147902", "6.79396706793963", "3.2715729463592")
    assert cents(127 * factor / Decimal("0.664153")) == Decimal("227.60")
    assert cents(ppp("127", "GBP", "GB", 2021, tables).low) == Decimal("227.60")
    # to NZ dollars of 2024: x PPP NZ 2024 1.463912 = 333.19
    to_nz = Target(PriceBasis.PPP, 2024, "NZD")
    result = adjust(Range.of(127), "GBP", "GB", 2021, to_nz, tables)
    assert cents(result.amount.low) == Decimal("333.19")
    assert result.ppp_factor == Decimal("1.463912") / Decimal("0.664153")


def test_indian_rupees_of_2019(tables: Tables) -> None:
    # IN CPI % 2020..2024: 6.62343677628535, 5.13140747176369, 6.69903414079852, 5.64914318907925,
    # 4.95303550973656 = 1.326193; PPP IN 2024 = 20.4219876045922: 107 x 1.326193 / 20.42199 = 6.95
    factor = chain(
        "6.62343677628535", "5.13140747176369", "6.69903414079852", "5.64914318907925",
        "4.95303550973656",
    )  # fmt: skip
    assert cents(107 * factor / Decimal("20.4219876045922")) == Decimal("6.95")
    assert cents(ppp("107", "INR", "IN", 2019, tables).low) == Decimal("6.95")


def test_kenyan_shillings_of_2024_need_no_exchange_rate(tables: Tables) -> None:
    # same year: factor 1; PPP KE 2024 = 43.2712900869078: 8 000 / 43.27129 = 184.88 and
    # 10 000 / 43.27129 = 231.10
    result = adjust(Range.of(8000, 10000), "KES", "KE", 2024, PPP_2024, tables).amount
    assert (cents(result.low), cents(result.high)) == (Decimal("184.88"), Decimal("231.10"))


def test_brazilian_reais_of_2020(tables: Tables) -> None:
    # BR CPI % 2021..2024: 8.30165975585673, 9.28010608956873, 4.59356282283204, 4.36746407652337
    # = 1.291952; PPP BR 2024 = 2.48731718948001: 1100 x 1.291952 / 2.487317 = 571.36
    factor = chain("8.30165975585673", "9.28010608956873", "4.59356282283204", "4.36746407652337")
    assert cents(1100 * factor / Decimal("2.48731718948001")) == Decimal("571.36")
    assert cents(ppp("1100", "BRL", "BR", 2020, tables).low) == Decimal("571.36")


def test_euro_figures_use_their_own_countrys_index_and_ppp(tables: Tables) -> None:
    # Italy: CPI % 2019..2024: 0.611246943765304, -0.13770757391651, 1.87378325762481,
    # 8.20128991161718, 5.62219442195901, 0.982373023061417 = 1.181255; PPP IT 2024 = 0.599627:
    # 80 x 1.181255 / 0.599627 = 157.60
    italy = chain(
        "0.611246943765304", "-0.13770757391651", "1.87378325762481", "8.20128991161718",
        "5.62219442195901", "0.982373023061417",
    )  # fmt: skip
    assert cents(80 * italy / Decimal("0.599627")) == Decimal("157.60")
    assert cents(ppp("80", "EUR", "IT", 2018, tables).low) == Decimal("157.60")
    # Germany: CPI % 2020..2024: 0.144877925813982, 3.06666666666673, 6.87257438551097,
    # 5.94643667725823, 2.2564981433876 = 1.195062; PPP DE 2024 = 0.700862: 69.50 -> 118.51
    germany = chain(
        "0.144877925813982", "3.06666666666673", "6.87257438551097", "5.94643667725823",
        "2.2564981433876",
    )  # fmt: skip
    assert cents(Decimal("69.50") * germany / Decimal("0.700862")) == Decimal("118.51")
    assert cents(ppp("69.50", "EUR", "DE", 2019, tables).low) == Decimal("118.51")
    # the same euros of 2019 are worth different international dollars in Italy and Germany
    assert ppp("100", "EUR", "IT", 2019, tables) != ppp("100", "EUR", "DE", 2019, tables)


def test_a_target_year_before_the_price_year_deflates(tables: Tables) -> None:
    # US 2024 -> 2022: 1 / ((1 + 4.11633838374488/100) x (1 + 2.94952520485207/100)) = 0.932947
    factor = inflation_factor(tables.cpi, "US", 2024, 2022)
    assert factor == 1 / chain("4.11633838374488", "2.94952520485207")
    assert factor.quantize(Decimal("0.000001")) == Decimal("0.932947")
    assert inflation_factor(tables.cpi, "US", 2015, 2015) == 1


def test_ranges_stay_ranges(tables: Tables) -> None:
    result = adjust(Range.of(340, 588), "GBP", "GB", 2021, PPP_2024, tables).amount
    # 340 and 588 x 1.190249 / 0.664153 = 609.32 and 1053.77
    assert (cents(result.low), cents(result.high)) == (Decimal("609.32"), Decimal("1053.77"))


def test_us_dollars_reported_for_another_country_are_taken_at_us_prices(tables: Tables) -> None:
    result = adjust(Range.of(12), "USD", "PE", 2024, PPP_2024, tables)
    assert result.country == "US"
    assert result.amount == Range.of(12)


SMALL = """\
# indicator: TEST.CPI
# source: test
# vintage: 2026
country,year,pct
KE,2019,5
KE,2021,10
"""


def test_a_missing_year_names_country_year_indicator_and_the_nearest_year() -> None:
    cpi = parse_indicator(SMALL)
    with pytest.raises(
        PriceDataError,
        match=r"TEST\.CPI: no value for KE in 2020 .* nearest year with a value: 2021",
    ):
        inflation_factor(cpi, "KE", 2018, 2021)
    with pytest.raises(PriceDataError, match="no value for NG in any year"):
        inflation_factor(cpi, "NG", 2018, 2019)


def test_a_target_year_beyond_the_data_says_which_years_exist(tables: Tables) -> None:
    with pytest.raises(TargetYearError, match="no price data for 2025: target years 1990-2024"):
        adjust(Range.of(1), "USD", "US", 2020, Target(PriceBasis.PPP, 2025, "USD"), tables)


def test_a_euro_amount_outside_the_euro_area_needs_a_country(tables: Tables) -> None:
    with pytest.raises(PriceDataError, match="outside the euro area"):
        ppp("100", "EUR", "GB", 2020, tables)
    with pytest.raises(PriceUsageError, match="EUR is shared"):
        adjust(Range.of(1), "USD", "US", 2020, Target(PriceBasis.PPP, 2024, "EUR"), tables)


def test_market_basis_uses_the_mean_of_the_year_stored_rates(tables: Tables) -> None:
    rates = RateTable(
        [
            rate_set("2024-01-02", USD="1.10", GBP="0.80"),
            rate_set("2024-07-01", USD="1.30", GBP="0.80"),
            rate_set("2023-07-03", USD="2", GBP="1"),
        ]
    )
    # GBP -> USD in 2024: (1.10 / 0.80 + 1.30 / 0.80) / 2 = (1.375 + 1.625) / 2 = 1.5
    rate, source = annual_rate(rates, "GBP", "USD", 2024)
    assert rate == Decimal("1.5")
    assert source.startswith("mean of 2 stored rates in 2024")
    # 127 GBP of 2021 x 1.190249 x 1.5 = 226.74
    market = Target(PriceBasis.MARKET, 2024, "USD")
    result = adjust(Range.of(127), "GBP", "GB", 2021, market, tables, rates)
    assert cents(result.amount.low) == Decimal("226.74")
    assert result.rate == Decimal("1.5") and result.ppp_factor is None
    with pytest.raises(PriceDataError, match="no exchange rate between GBP and USD stored in 2022"):
        annual_rate(rates, "GBP", "USD", 2022)


def test_the_build_script_copies_exact_strings_and_maps_alpha_3(tmp_path: Path) -> None:
    (tmp_path / "cpi-inflation.csv").write_text(
        "Country,Country Code,Year,CPI\n"
        "Kenya,KEN,2024,4.48978854243448\n"
        "World,WLD,2024,5.7\n"
        "Kosovo,XKX,2024,1.6\n",
        encoding="utf-8",
    )
    (tmp_path / "ppp-gdp.csv").write_text(
        'Country,Country ID,Year,PPP\n"Kenya",KE,2024,43.2712900869078\n', encoding="utf-8"
    )
    assert build_prices.main(["--source", str(tmp_path), "--output", str(tmp_path)]) == 0
    cpi = (tmp_path / "cpi.csv").read_text(encoding="utf-8")
    assert cpi.endswith("country,year,pct\nKE,2024,4.48978854243448\n")
    assert "# not countries, left out: WLD (World), XKX (Kosovo)" in cpi
    table = parse_indicator(cpi)
    assert table.value("KE", 2024) == Decimal("4.48978854243448")
    assert parse_indicator((tmp_path / "ppp.csv").read_text(encoding="utf-8")).value(
        "KE", 2024
    ) == (Decimal("43.2712900869078"))


@pytest.mark.parametrize(
    ("name", "indicator", "vintage"),
    [("cpi.csv", "FP.CPI.TOTL.ZG", "2025-06"), ("ppp.csv", "PA.NUS.PPP", "2026-03")],
)
def test_shipped_tables_name_source_indicator_vintage_and_licence(
    name: str, indicator: str, vintage: str, tmp_path: Path
) -> None:
    text = (DATA / name).read_text(encoding="utf-8")
    for line in (f"# indicator: {indicator}", f"# vintage: {vintage}", "# licence: ODC-PDDL-1.0"):
        assert line in text.splitlines()
    if SHARED_DATA.is_dir():  # the maintainer's checkout: the shipped file is the script's output
        build_prices.main(["--source", str(SHARED_DATA), "--output", str(tmp_path)])
        assert (tmp_path / name).read_text(encoding="utf-8") == text


# --- The ends of the tables: the first and last target years, and a year to itself ---


def test_the_first_target_year_is_the_first_year_both_tables_cover(tables: Tables) -> None:
    # CPI runs 1960-2024, PPP 1990-2024: target years 1990-2024.
    assert tables.target_years() == (1990, 2024)
    # 100 GBP of 1991 to 1990: / (1 + GB CPI 1991 7.46178295746934 / 100) = x 0.930563;
    # / PPP GB 1990 0.651578 = 142.82 international dollars of 1990.
    back = adjust(Range.of(100), "GBP", "GB", 1991, Target(PriceBasis.PPP, 1990, "USD"), tables)
    assert back.inflation_factor == 1 / chain("7.46178295746934")
    assert cents(back.amount.low) == Decimal("142.82")
    with pytest.raises(TargetYearError, match="no price data for 1989: target years 1990-2024"):
        adjust(Range.of(100), "GBP", "GB", 1991, Target(PriceBasis.PPP, 1989, "USD"), tables)


@pytest.mark.parametrize(
    ("country", "currency", "year"), [("GB", "GBP", 1990), ("US", "USD", 2024)]
)
def test_a_price_year_equal_to_the_target_year_has_factor_exactly_one(
    tables: Tables, country: str, currency: str, year: int
) -> None:
    result = adjust(
        Range.of(100, 200), currency, country, year, Target(PriceBasis.PPP, year, "USD"), tables
    )
    assert result.inflation_factor == 1
    # Only the PPP of the year moves the amount: GB 1990 0.651578, US (any year) 1.
    ppp = {"GB": Decimal("0.651578"), "US": Decimal(1)}[country]
    assert result.amount == Range.of(100 / ppp, 200 / ppp)


def test_an_own_index_in_the_target_year_itself_has_factor_exactly_one() -> None:
    index = parse_indicator("# indicator: OWN\ncountry,year,value\nGB,2019,100\nGB,2024,130\n")
    own = replace(index, kind=IndicatorKind.INDEX)
    assert inflation_factor(own, "GB", 2024, 2024) == 1  # 130 / 130
    assert inflation_factor(own, "GB", 2019, 2024) == Decimal("1.3")  # 130 / 100


def test_the_cli_takes_the_first_target_year_and_refuses_the_one_before(
    runner: CliRunner,
) -> None:
    args = ["convert", "100", "GBP", "--price-year", "1991", "--to", "I$"]
    first = runner.invoke(app, [*args, "--target-year", "1990", "--format", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["result"] == "142.82"  # worked above
    before = runner.invoke(app, [*args, "--target-year", "1989"])
    assert before.exit_code == 2 and "target years 1990-2024 are available" in before.stderr


# --- Years past the index: projected at the last published annual rate, and marked ---

BR_CPI = ("8.30165975585673", "9.28010608956873", "4.59356282283204", "4.36746407652337")  # 2021-24


def test_brazils_2020_hospital_day_at_2024_prices(tables: Tables) -> None:
    # BRL 1200-2400 of 2020 by Brazil's CPI 2021-2024: x 1.0830166 x 1.0928011 x 1.0459356 x
    # 1.0436746 = x 1.2919518: BRL 1550.34-3100.68 of 2024 (same currency: rate 1).
    factor = chain(*BR_CPI)
    assert round(factor, 4) == Decimal("1.2920")
    goal = Target(PriceBasis.MARKET, 2024, "BRL")
    result = adjust(Range.of(1200, 2400), "BRL", "BR", 2020, goal, tables, RateTable([]))
    assert (cents(result.amount.low), cents(result.amount.high)) == (
        Decimal("1550.34"),
        Decimal("3100.68"),
    )
    assert result.projection is None


def test_a_year_past_the_index_takes_the_last_published_rate_and_is_marked(tables: Tables) -> None:
    # To 2025: the CPI ends in 2024, so 2025 grows at Brazil's 2024 rate, 4.3674641%:
    # 1.2919518 x 1.0436746 = 1.3483773; BRL 1200 -> 1618.05.
    goal = Target(PriceBasis.MARKET, 2025, "BRL")
    result = adjust(Range.of(1200), "BRL", "BR", 2020, goal, tables, RateTable([]))
    assert round(result.inflation_factor, 7) == round(chain(*BR_CPI, BR_CPI[-1]), 7)
    assert cents(result.amount.low) == Decimal("1618.05")
    assert result.projection is not None
    assert (result.projection.years, result.projection.from_year) == ((2025,), 2024)
    assert "2025 projected at the 2024 rate (4.37% a year)" in result.projection.described
    # And back: a 2025 amount to 2024 divides by the projected rate, marked the same way.
    back = adjust(Range.of(1000), "BRL", "BR", 2025, Target(PriceBasis.PPP, 2024, "USD"), tables)
    assert back.projection is not None and back.projection.years == (2025,)
    assert round(back.inflation_factor, 7) == round(1 / chain(BR_CPI[-1]), 7)


def test_a_gap_inside_the_index_is_still_an_error() -> None:
    cpi = parse_indicator(SMALL)  # KE 2019 and 2021, no 2020
    with pytest.raises(PriceDataError, match="no value for KE in 2020"):
        inflation_factor(cpi, "KE", 2019, 2022)
    # Past its end, 2022 takes the 2021 rate, 10%: 2021 -> 2023 is 1.1 x 1.1.
    assert inflation_factor(cpi, "KE", 2021, 2023) == Decimal("1.21")


def test_a_users_index_of_levels_projects_from_its_last_two_years() -> None:
    levels = parse_indicator(
        SMALL.replace("KE,2019,5", "KE,2020,100").replace("KE,2021,10", "KE,2021,110")
    )
    own = Indicator(
        levels.indicator, levels.source, levels.vintage, levels.values, kind=IndicatorKind.INDEX
    )
    # 110 / 100 = 1.1 a year; 2020 -> 2022: 110 / 100 x 1.1 = 1.21.
    assert inflation_factor(own, "KE", 2020, 2022) == Decimal("1.21")
