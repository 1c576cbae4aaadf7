"""Pilot appraisals as plain data: the JSON records and the CSV rows, one shape for both."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from cmhcost.domain.money import Range
from cmhcost.domain.number_text import CENT, RATIO_PLACES, WHOLE, pair
from cmhcost.engine.compare import Row
from cmhcost.engine.pilot import CashFlow, Outcomes, PilotReport
from cmhcost.engine.pilot.cashflow import RESIDUAL
from cmhcost.engine.pilot.price_year import overall_factor
from cmhcost.engine.pilot.scenarios import side_by_side
from cmhcost.report.structured import notes, step_record

PILOT_COLUMNS = (
    "id", "name", "currency", "price_year", "basis", "unit", "cost_low", "cost_high",
    "baseline_id", "baseline_label", "baseline_low", "baseline_high", "baseline_price_year",
    "baseline_factor", "baseline_projected", "ratio_low", "ratio_high", "saving_per_unit_low",
    "saving_per_unit_high", "substitution_low", "substitution_high",
    "parity_occupancy_low", "parity_occupancy_high", "parity_budget_low", "parity_budget_high",
    "neutral_occupancy_low", "neutral_occupancy_high", "neutral_reach",
    "neutral_budget_low", "neutral_budget_high", "neutral_substitution_low",
    "neutral_substitution_high", "annual_saving_low", "annual_saving_high",
    "net_annual_saving_low", "net_annual_saving_high", "horizon_years_low", "horizon_years_high",
    "discount_rate_low", "discount_rate_high", "capital_outlay_low", "capital_outlay_high",
    "horizon_net_low", "horizon_net_high", "payback_year_best", "payback_year_worst",
    "rank_low", "rank_high", "of", "rank_note",
)  # fmt: skip


def _cells(value: Range | None, places: Decimal = CENT) -> list[str]:
    found = pair(value, places)
    return [found["low"], found["high"]] if found else ["", ""]


def _year(value: int | None) -> str:
    return "" if value is None else str(value)


def shown_outcomes(report: PilotReport, row: Row) -> Outcomes | None:
    """The outcomes against a baseline (in the pilot's currency and price year)."""
    return report.by_baseline.get(row.baseline.id)


def csv_rows(reports: Sequence[PilotReport]) -> Iterator[list[Any]]:
    """One row per pilot and baseline (one per pilot when none is compared)."""
    for report in reports:
        head = [
            report.service.id, report.service.name, report.currency, _year(report.price_year),
            report.basis or "market", report.unit, *_cells(report.cost),
        ]  # fmt: skip
        rank = [*_cells(report.rank, WHOLE), len(report.peers)] if report.ranked else ["", "", 1]
        tail = [*rank, report.rank_note or ""]
        for row in report.comparisons or (None,):
            yield [*head, *_baseline_cells(report, row), *tail]


def _baseline_cells(report: PilotReport, row: Row | None) -> list[Any]:
    if row is None:
        return [""] * (len(PILOT_COLUMNS) - 12)
    found = shown_outcomes(report, row)
    shown = report.shown
    local = next((r for r in report.local_rows if r.baseline.id == row.baseline.id), None)
    step = local.baseline_adjustment if local else None
    base = row.baseline.cost
    cells = [
        row.baseline.id, row.baseline.label, *_cells(row.baseline_cost),
        _year(base.price_year if base else None),
        "" if step is None else str(overall_factor(step)),
        "" if step is None or step.projection is None else step.projection.described,
        *_cells(row.ratio, RATIO_PLACES), *_cells(row.saving),
        *_cells(report.substitution, RATIO_PLACES),
    ]  # fmt: skip
    if found is None:
        return cells + [""] * 27
    flow = found.cash_flow.scaled(report.display_factor) if found.cash_flow else None
    return cells + [
        *_cells(found.parity_occupancy, RATIO_PLACES), *_cells(shown(found.parity_budget)),
        *_cells(found.neutral_occupancy, RATIO_PLACES),
        found.reach.value if found.reach else "",
        *_cells(shown(found.neutral_budget)), *_cells(found.neutral_substitution, RATIO_PLACES),
        *_cells(shown(found.annual_saving)), *_cells(shown(found.net_saving)),
        *_flow_cells(flow),
    ]  # fmt: skip


def _flow_cells(flow: CashFlow | None) -> list[str]:
    if flow is None:
        return [""] * 12
    return [
        *_cells(flow.horizon, WHOLE), *_cells(flow.rate, RATIO_PLACES),
        *_cells(flow.years[0].capital), *_cells(flow.net),
        _year(flow.payback[0]), _year(flow.payback[1]),
    ]  # fmt: skip


def pilot_record(report: PilotReport) -> dict[str, Any]:
    """A pilot's appraisal, every number of it."""
    derivation = report.derivation
    return {
        "id": report.service.id,
        "name": report.service.name,
        "currency": report.currency,
        "unit": report.unit,
        "price_year": report.price_year,
        "basis": report.basis,
        "display": step_record(report.display),
        "display_factor": str(report.display_factor),
        "cost": pair(report.cost),
        "arithmetic": list(derivation.steps) if derivation else [],
        "capital_per_year": pair(report.shown(derivation.capital)) if derivation else None,
        "assumptions": list(report.assumptions),
        "substitution": pair(report.substitution, RATIO_PLACES),
        "baselines": [_baseline_record(report, row) for row in report.comparisons],
        "not_compared": [{"id": s.item, "reason": s.message} for s in report.skipped],
        "break_even_occupancy": pair(report.break_even_occupancy, RATIO_PLACES),
        "break_even_reach": report.reach.value if report.reach else None,
        "break_even_budget": pair(report.break_even_budget),
        "budget_neutral": {
            "occupancy": pair(report.neutral_occupancy, RATIO_PLACES),
            "budget": pair(report.neutral_budget),
            "substitution": pair(report.neutral_substitution, RATIO_PLACES),
        },
        "annual_saving": pair(report.annual_saving),
        "net_annual_saving": pair(report.net_saving),
        "cash_flow": cash_flow_record(report.cash_flow),
        "rank": {
            "place": pair(report.rank, WHOLE) if report.ranked else None,
            "of": len(report.peers),
            "category": report.service.category.value,
            "note": report.rank_note,
        },
        "peers": [
            {
                "id": p.service.id,
                "name": p.service.name,
                "figures": list(p.figure_ids),
                "cost": pair(p.cost),
                "pilot": p.is_pilot,
                "adjustments": [step_record(step) for step in p.steps],
            }
            for p in report.peers
        ],  # fmt: skip
        "unranked": list(report.unranked),
    }


def _baseline_record(report: PilotReport, row: Row) -> dict[str, Any]:
    local = next((r for r in report.local_rows if r.baseline.id == row.baseline.id), None)
    found = shown_outcomes(report, row)
    return {
        "id": row.baseline.id,
        "label": row.baseline.label,
        "cost": pair(row.baseline_cost),
        "to_pilot_price_year": step_record(local.baseline_adjustment if local else None),
        "ratio": pair(row.ratio, RATIO_PLACES),
        "saving_per_unit": pair(row.saving),
        "saving_pct": pair(row.saving_pct),
        "unit_cost_parity_occupancy": pair(found.parity_occupancy, RATIO_PLACES) if found else None,
        "budget_neutral_occupancy": pair(found.neutral_occupancy, RATIO_PLACES) if found else None,
        "budget_neutral_substitution": (
            pair(found.neutral_substitution, RATIO_PLACES) if found else None
        ),
        "net_annual_saving": pair(report.shown(found.net_saving)) if found else None,
        "notes": notes(row),
        "caveats": list(row.caveats),
    }


def cash_flow_record(flow: CashFlow | None) -> dict[str, Any] | None:
    """The horizon year by year."""
    if flow is None:
        return None
    return {
        "years": pair(flow.horizon, WHOLE),
        "discount_rate": pair(flow.rate, RATIO_PLACES),
        "discounted_net": pair(flow.net),
        "payback_year": {"best": flow.payback[0], "worst": flow.payback[1]},
        "capital_beyond_horizon": RESIDUAL,
        "by_year": [
            {
                "year": y.year,
                "capital": pair(y.capital),
                "running": pair(y.running),
                "avoided": pair(y.avoided),
                "net": pair(y.net),
                "cumulative": pair(y.cumulative),
                "discount_factor": pair(y.factor, RATIO_PLACES),
                "discounted": pair(y.discounted),
                "cumulative_discounted": pair(y.cumulative_discounted),
                "longer_horizon_only": y.longer_only,
            }
            for y in flow.years
        ],
    }


def scenarios_record(reports: Sequence[PilotReport]) -> dict[str, Any]:
    """The pilots side by side: a row per pilot with the decisive numbers."""
    compared = side_by_side(reports)
    return {
        "note": compared.note,
        "rows": [
            {
                "id": s.report.service.id,
                "currency": s.report.currency,
                "unit_cost": pair(s.report.cost),
                "unit_cost_rank": pair(s.cost_rank, WHOLE),
                "net_annual_saving": pair(s.report.net_saving),
                "budget_neutral": s.neutral.value,
                "budget_neutral_occupancy": pair(s.report.neutral_occupancy, RATIO_PLACES),
                "budget_neutral_substitution": pair(s.report.neutral_substitution, RATIO_PLACES),
                "horizon_net": pair(s.report.cash_flow.net) if s.report.cash_flow else None,
                "rank_in_guidance": pair(s.report.rank, WHOLE) if s.report.ranked else None,
            }
            for s in compared.rows
        ],
    }
