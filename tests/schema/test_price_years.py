"""Every figure has a price year: stated by the text, the end of a fiscal year, or an assumption."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.engine.costing import stated_figures
from cmhcost.loading.paths import shipped_services
from cmhcost.loading.reader import load_services
from cmhcost.schema.services import Budget, Figure
from cmhcost.schema.years import PriceYearBasis
from tests.conftest import FIXTURES


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
