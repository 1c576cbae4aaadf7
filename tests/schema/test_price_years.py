"""Every figure has a price year: stated by the text, the end of a fiscal year, or an assumption."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.engine.costing import stated_figures
from cmhcost.loading.paths import shipped_services
from cmhcost.loading.reader import load_services
from cmhcost.schema.services import Budget, Figure
from cmhcost.schema.years import PriceYearBasis
from tests.conftest import FIXTURES, SEEDS

GUIDANCE = "002_b29c8c4125090c1c.txt"
NETWORKS = "004_151886dbd2479ba8.txt"


def in_the_text(document: str, first: int, last: int, words: str) -> bool:
    """Whether the words stand in the document's lines (whitespace and case folded), or True
    when the source documents are not here."""
    path = SEEDS / document
    if not path.exists():  # a checkout without shared/ beside it; CI always has it
        assert os.environ.get("CI", "").lower() not in ("true", "1"), f"{path} is missing"
        return True
    lines = path.read_text(encoding="utf-8").splitlines()[first - 1 : last]
    return " ".join(words.split()).casefold() in " ".join(" ".join(lines).split()).casefold()


def priced_items(path: Path) -> list[tuple[str, str, Figure | Budget]]:
    items: list[tuple[str, str, Figure | Budget]] = []
    for service in load_services([path]).services.values():
        items += [(service.id, f.id, f) for f in stated_figures(service)]
        items += [(service.id, b.id, b.cost) for b in service.baselines if b.cost is not None]
        items += [(service.id, "budget", service.budget)] if service.budget else []
    return items


def test_every_figure_of_the_shipped_data_has_a_price_year_or_a_recorded_assumption() -> None:
    items = priced_items(shipped_services())
    assert len(items) >= 80
    missing = [f"{sid}/{fid}" for sid, fid, item in items if item.price_year is None]
    assert missing == []
    unexplained = [
        f"{sid}/{fid}"
        for sid, fid, item in items
        if item.price_year_basis not in (None, PriceYearBasis.STATED) and not item.price_year_note
    ]
    assert unexplained == []


def test_fiscal_years_are_taken_at_the_year_they_end() -> None:
    data = load_services([shipped_services()])
    ontario = {f.id: f for f in data.services["peer-support-south-east-ontario"].figures}
    # "during fiscal year 2017–2018 the total cost ... was can$ 53 280": the year ends in 2018
    assert ontario["total-cost-2017-2018"].price_year == 2018
    assert ontario["total-cost-2017-2018"].price_year_basis is PriceYearBasis.FISCAL_YEAR_END
    assert ontario["cost-per-person-2018-2019"].price_year == 2019
    assert "2017–2018" in ontario["total-cost-2017-2018"].source.quote  # type: ignore[union-attr]


def test_relative_baselines_carry_the_year_the_text_gives() -> None:
    data = load_services([shipped_services()])
    soteria = data.services["soteria-berne"].baselines[0].relative
    assert soteria is not None and soteria.price_year == 2020  # "In 2020, the cost of a stay ..."
    trieste = {b.id: b.relative for b in data.services["trieste-network"].baselines}
    assert trieste["old-psychiatric-hospital-tp"].price_year == 2019  # type: ignore[union-attr]


def test_validate_names_a_figure_without_a_price_year(runner: CliRunner, tmp_path: Path) -> None:
    text = (FIXTURES / "valid" / "pilot-minimal.yaml").read_text(encoding="utf-8")
    pilot = tmp_path / "pilot.yaml"
    pilot.write_text(text.replace("        price_year: 2024\n", ""), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(pilot)])
    assert result.exit_code == 1, result.output
    assert f"{pilot}:9: pilot: figures[0].price_year: no price year" in result.output


def test_the_campinas_going_back_home_cost_takes_the_year_of_the_benefit_it_is_made_of() -> None:
    # "a total of 139 individuals are currently recipients ... with a cost of R$ 57,268 ... per
    # month" gives no year, but it is 139 benefits of R$ 412, which the paragraph before dates:
    assert in_the_text(
        NETWORKS, 4304, 4306, "with a cost of  R$ 57,268 (approximately US$ 10,070)m"
    )
    assert in_the_text(
        NETWORKS, 4298, 4300, "was 412 Brazilian Real (R$) (approximately US$ 72)m in 2020."
    )
    assert 139 * 412 == 57268
    data = load_services([shipped_services()])
    figures = {f.id: f for f in data.services["going-back-home-campinas"].figures}
    cost, benefit = figures["campinas-monthly-cost"], figures["monthly-benefit-tp"]
    assert cost.amount.low == 57268 and benefit.amount.low == 412
    assert cost.price_year == benefit.price_year == 2020
    assert cost.price_year_basis is PriceYearBasis.ASSUMED
    assert "in 2020" in (cost.price_year_note or "")


def test_usp_kenya_funders_and_the_nairobi_group_are_read_the_same_way() -> None:
    # The two funders' amounts and the Nairobi group's cost are in the present tense, in US
    # dollars with no year and no conversion; "In 2016" dates another funder's past contribution.
    assert in_the_text(
        GUIDANCE,
        5112,
        5116,
        "The Open Society Initiative for East Africa (OSIEA) provides USP-K with US$ 30 000 per year"
        " and the National Council for Persons with Disabilities (NCPWD), US$ 26 000 per annum.",
    )
    assert in_the_text(
        GUIDANCE,
        5116,
        5118,
        "In 2016, the social sector of the Kenyan government also contributed funding.",
    )
    assert in_the_text(GUIDANCE, 5120, 5124, "Peer Support Group is approximately US$ 4000")
    data = load_services([shipped_services()])
    funders = {f.id: f for f in data.services["usp-kenya"].figures}
    (nairobi,) = data.services["nairobi-mind-empowerment-peer-support-group"].figures
    assert funders["osiea-funding"].amount.low == 30000
    assert funders["ncpwd-funding"].amount.low == 26000
    assert nairobi.amount.low == 4000
    for figure in (funders["osiea-funding"], funders["ncpwd-funding"], nairobi):
        assert (figure.currency, figure.usd) == ("USD", None)
        assert figure.price_year == 2021
        assert figure.price_year_basis is PriceYearBasis.ASSUMED
    assert "In 2016" in (funders["osiea-funding"].price_year_note or "")


def test_peru_national_budget_is_taken_at_the_end_of_its_fiscal_year() -> None:
    # "the peruvian national budget for the fiscal year 2020 allocates 350 million peruvian sol
    # (s/) ... an increase of s/ 70 million ... over the 2019 allocation". Peru's fiscal year is
    # the calendar year, so it ends in 2020.
    assert in_the_text(
        GUIDANCE,
        10285,
        10287,
        "the peruvian national budget for the fiscal year 2020 allocates 350 million peruvian sol",
    )
    assert in_the_text(GUIDANCE, 10287, 10289, "an increase of  s/ 70 million")
    data = load_services([shipped_services()])
    peru = {f.id: f for f in data.services["peru-network"].figures}
    budget, increase = peru["national-budget-2020"], peru["budget-increase-2020"]
    assert budget.amount.low == 350_000_000 and increase.amount.low == 70_000_000
    for figure in (budget, increase):
        assert figure.price_year == 2020
        assert figure.price_year_basis is PriceYearBasis.FISCAL_YEAR_END
        assert "fiscal year 2020" in (figure.price_year_note or "")
        assert "calendar year" in (figure.price_year_note or "")


def test_aung_clinic_grants_are_both_dated_by_when_they_were_received() -> None:
    # "Between 2015 and 2016, the Aung Clinic received US$ 25 000 from the Open Society
    # Foundations (183) and in October 2018, it received US$ 176 000 for the period ending
    # September 2020": a receipt across two years is taken at its end, a receipt in a month at
    # that month's year; the period the second grant pays for does not date its dollars.
    assert in_the_text(
        GUIDANCE,
        3959,
        3961,
        "Between 2015 and 2016, the Aung Clinic received US$ 25 000 from the Open Society"
        " Foundations (183) and in October 2018, it received US$ 176 000 for the period ending"
        " September 2020.",
    )
    data = load_services([shipped_services()])
    grants = {f.id: f for f in data.services["aung-clinic"].figures}
    first, second = grants["osf-funding-2015-2016"], grants["osf-funding-2018-2020"]
    assert first.amount.low == 25000 and second.amount.low == 176000
    assert (first.price_year, first.price_year_basis) == (2016, PriceYearBasis.FISCAL_YEAR_END)
    assert (second.price_year, second.price_year_basis) == (2018, PriceYearBasis.STATED)
    for grant in (first, second):
        assert "when the money was received" in (grant.price_year_note or "")


def naya_daur_private_centres(runner: CliRunner, *basis: str) -> dict[str, Any]:
    result = runner.invoke(app, ["compare", "--format", "json", "--country", "IN", *basis])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    return next(
        r
        for r in rows
        if r["id"] == "naya-daur" and r["baseline"]["id"] == "private-institutional-centres"
    )


def test_naya_daur_is_30_percent_of_private_centres_as_printed(runner: CliRunner) -> None:
    # "or Us$ 45 per month ... it represents one third of the per person cost for institutional
    # support in privately-run centres (Us$ 150)": 45 / 150 = 0.30, against the words' 1/3.
    assert in_the_text(GUIDANCE, 6429, 6429, "or Us$ 45 per month")
    assert in_the_text(GUIDANCE, 6431, 6433, "privately-run centres (Us$ 150)")
    row = naya_daur_private_centres(runner)
    assert Decimal(row["ratio"]["low"]) == round(Decimal(45) / Decimal(150), 4) == Decimal("0.3")
    assert Decimal(row["claimed_ratio"]["low"]) == round(Decimal(1) / 3, 4)


def test_naya_daur_us_45_is_read_in_the_2020_prices_of_the_comparison_it_belongs_to() -> None:
    # "it costs 107 rupees ... per person per day (Us$ 1.50)s or Us$ 45 per month ... it represents
    # one third of the per person cost for institutional support in privately-run centres
    # (Us$ 150) ... (personal communication, [2020]) (315)": one claim from one 2020 source. The
    # US$ 45 is US$ 1.50 x 30, the guidance's February 2021 conversion (footnote s) of a cost the
    # 2020 source compares with the US$ 150, so the pair compared is in one price year, 2020.
    assert in_the_text(GUIDANCE, 6427, 6431, "per person per day (Us$ 1.50)s or Us$ 45 per month")
    assert in_the_text(GUIDANCE, 6431, 6433, "it represents one third of the per person cost")
    assert in_the_text(GUIDANCE, 6435, 6437, "personal communication, [2020]) (315).")
    assert in_the_text(GUIDANCE, 6454, 6454, "s conversion as of  February 2021.")
    assert Decimal("1.50") * 30 == 45
    data = load_services([shipped_services()])
    service = data.services["naya-daur"]
    figures = {f.id: f for f in service.figures}
    (private,) = [b.cost for b in service.baselines if b.id == "private-institutional-centres"]
    assert private is not None and private.amount.low == 150
    month = figures["cost-per-month"]
    assert month.amount.low == 45
    assert (month.price_year, month.price_year_basis) == (2020, PriceYearBasis.ASSUMED)
    assert "February 2021 conversion" in (month.price_year_note or "")
    assert "(personal communication, [2020]) (315)" in (month.price_year_note or "")
    assert private.price_year == 2020
    assert figures["cost-per-day"].price_year == 2021  # the rupee amount keeps its own year


@pytest.mark.parametrize("year", ["2021", "2024"])
@pytest.mark.parametrize("basis", ["ppp", "market"])
def test_naya_daur_private_centres_stay_at_30_percent_on_any_basis(
    runner: CliRunner, basis: str, year: str
) -> None:
    # Both sides are US dollars of 2020 from India: whatever route takes them to a common basis
    # (back to rupees at one rate, one Indian CPI factor, one PPP or market rate), every factor
    # is the same on both sides and cancels: 45 / 150 = 0.30 by hand, not 0.2865
    # (= 45 / (150 x 1.0469785886363742), which a year of US inflation between them would give).
    expected = Decimal(45) / Decimal(150)
    assert expected == Decimal("0.3")
    row = naya_daur_private_centres(runner, "--basis", basis, "--price-year", year)
    assert Decimal(row["ratio"]["low"]) == Decimal(row["ratio"]["high"]) == expected
