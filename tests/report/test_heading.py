"""The heading and stamp every report renders: what its amounts are and what produced them."""

from __future__ import annotations

from datetime import date

from cmhcost.domain.choices import Per, PriceBasis
from cmhcost.engine.heading import DataFile, ReportHeading, Stamp
from cmhcost.report.heading import heading_items, projection_line, stamp_items


def test_a_bare_stamp_says_only_the_version() -> None:
    assert stamp_items(Stamp(version="9.9")) == [("cmhcost", "9.9")]


def test_a_full_stamp_names_every_vintage_and_file() -> None:
    stamp = Stamp(
        version="9.9",
        services=(DataFile("services.yaml", "abc123", shipped=True), DataFile("mine.yaml")),
        rates_to=date(2026, 10, 1),
        rate_layers=("exchange_rates.yaml",),
        cpi="CPI (2025-06)",
        ppp="PPP (2026-03)",
        index=("deflator.csv", "health.csv"),
    )
    assert stamp_items(stamp) == [
        ("cmhcost", "9.9"),
        ("Services data", "services.yaml (shipped, sha256 abc123); mine.yaml"),
        ("Exchange rates", "stored up to 2026-10-01; user layers: exchange_rates.yaml"),
        ("Price index", "CPI (2025-06)"),
        ("PPP", "PPP (2026-03)"),
        ("User index", "deflator.csv, health.csv"),
    ]


def test_projections_are_named_and_a_heading_without_a_command_leaves_it_out() -> None:
    plain = ReportHeading("USD", Per.DAY, None, None, None)
    assert projection_line(plain) == ""
    assert "Command" not in dict(heading_items(plain))
    projected = ReportHeading(
        "I$", Per.DAY, PriceBasis.PPP, 2024, None, projections=("BR 2025 at 4.37%",)
    )
    assert projection_line(projected) == (
        "Projected past the price index, at its last rate: BR 2025 at 4.37%"
    )
    assert dict(heading_items(projected))["Projected"].endswith("BR 2025 at 4.37%")
