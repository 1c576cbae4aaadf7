"""The reports as plain data (strings, lists, dicts) in a documented key order, for JSON and CSV.

Amounts are fixed-point decimal strings (two places, ratios four); nothing here computes a figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cmhcost.conversion.units import Side, StepKind
from cmhcost.domain.number_text import RATIO_PLACES, fixed, pair, plain, span
from cmhcost.report.heading import source_record

if TYPE_CHECKING:
    from cmhcost.conversion.exchange import Converted, CurrencyRates, Quote
    from cmhcost.conversion.prices import Adjustment
    from cmhcost.conversion.units import ConversionStep
    from cmhcost.engine.audit import BudgetCheck, Flag, UsdCheck
    from cmhcost.engine.compare import Row, Skipped
    from cmhcost.schema.services import Service


def notes(row: Row) -> list[str]:
    """A row's notes followed by the data's flags, each marked `flag: `."""
    return [*row.notes, *(f"flag: {flag}" for flag in row.flags)]


def row_record(row: Row) -> dict[str, Any]:
    """A comparison row, in the key order of the JSON contract."""
    source = row.figure.source
    return {
        "id": row.service.id,
        "name": row.service.name,
        "category": row.service.category.value,
        "country": row.service.country,
        "figure": row.figure.id,
        "unit": row.unit,
        "cost": pair(row.cost),
        "baseline": {
            "id": row.baseline.id,
            "label": row.baseline.label,
            **(pair(row.baseline_cost) or {}),
        },
        "ratio": pair(row.ratio, RATIO_PLACES),
        "claimed_ratio": pair(row.claimed_ratio, RATIO_PLACES),
        "difference": pair(row.difference),
        "saving_pct": pair(row.saving_pct),
        "notes": notes(row),
        "source": source_record(source) if source else None,
        "section": row.group.title,
        "tags": [tag.value for tag in row.service.tags],
        "caveats": list(row.caveats),
        "flags": list(row.flags),
        "native": {"cost": native(row, Side.COST), "baseline": native(row, Side.BASELINE)},
        "conversions": [conversion_step_record(step) for step in row.conversions],
        "sources": [source_record(source) for source in row.sources],
        **price_record(row),
    }


def native(row: Row, side: Side) -> dict[str, Any] | None:
    """A side of a row as the text states it: amount, currency, unit, price year, quote's place.

    None for a baseline the text gives only as a relation to the service ("three times more").
    """
    figure = row.figure if side is Side.COST else row.baseline.cost
    if figure is None:
        return None
    return {
        "amount": {"low": plain(figure.amount.low), "high": plain(figure.amount.high)},
        "currency": figure.currency,
        "unit": figure.unit.value,
        "price_year": figure.price_year,
        "document": figure.source.document if figure.source else None,
        "lines": list(figure.source.lines) if figure.source else None,
    }


def conversion_step_record(step: ConversionStep) -> dict[str, Any]:
    """One conversion of a row's cost or baseline."""
    return {
        "side": step.side.value,
        "kind": step.kind.value,
        "from": step.source,
        "to": step.target,
        "factor": plain(step.factor),
        "rate_date": step.rate_date.isoformat() if step.rate_date else None,
        "rate_source": step.rate_source,
        "why": step.why,
    }


def currency_step(row: Row, side: Side) -> ConversionStep | None:
    """The exchange-rate step of one side of a row, if it was converted."""
    return next(
        (s for s in row.conversions if s.side is side and s.kind is StepKind.CURRENCY), None
    )


def price_record(row: Row) -> dict[str, Any]:
    """A row's price years and, on a price basis, the factors that took each amount there."""
    base = row.baseline.cost
    record: dict[str, Any] = {
        "price_year": row.figure.price_year,
        "price_country": row.figure.country or row.service.country,
        "baseline_price_year": base.price_year if base else None,
    }
    if row.cost_adjustment is not None:
        record["adjustment"] = {
            "cost": step_record(row.cost_adjustment),
            "baseline": step_record(row.baseline_adjustment),
        }
    return record


def step_record(step: Adjustment | None) -> dict[str, Any] | None:
    """The factors of one amount's adjustment to a price year and basis."""
    if step is None:
        return None
    return {
        "price_year": step.price_year,
        "country": step.country,
        "inflation_factor": str(step.inflation_factor),
        "index_source": step.index_source,
        "ppp": None if step.ppp_from is None else str(step.ppp_from),
        "ppp_target": None if step.ppp_to is None else str(step.ppp_to),
        "target_per_local": None if step.ppp_factor is None else str(step.ppp_factor),
        "ppp_source": step.ppp_source,
        "rate": None if step.rate is None else str(step.rate),
        "rate_source": step.rate_source,
        "projection": projection_record(step),
    }


def projection_record(step: Adjustment) -> dict[str, Any] | None:
    """Years past the price index, projected at its last published annual rate (else None)."""
    ahead = step.projection
    if ahead is None:
        return None
    return {"years": list(ahead.years), "from_year": ahead.from_year, "pct": str(ahead.pct)}


def skipped_record(item: Skipped) -> dict[str, str]:
    """A figure not compared."""
    return {
        "id": item.service.id,
        "name": item.service.name,
        "item": item.item,
        "label": item.label,
        "reason": item.message,
    }


def usd_record(check: UsdCheck) -> dict[str, Any]:
    """A printed USD equivalent against the stored rates."""
    return {
        "id": check.service.id,
        "figure": check.figure.id,
        "currency": check.figure.currency,
        "amount": pair(check.figure.amount),
        "as_of": check.figure.usd.as_of if check.figure.usd else None,
        "printed_usd": pair(check.printed),
        "computed_usd": pair(check.computed),
        "deviation_pct": fixed(check.deviation_pct) if check.deviation_pct is not None else None,
        "rate_date": check.rate_date.isoformat() if check.rate_date else None,
        "no_rate": str(check.missing_rate) if check.missing_rate else None,
    }


def budget_record(check: BudgetCheck) -> dict[str, Any]:
    """A unit cost derived from a budget against the one stated."""
    return {
        "id": check.service.id,
        "stated_figure": check.stated.id,
        "currency": check.stated.currency,
        "unit": check.stated.unit.value,
        "stated": pair(check.stated.amount),
        "derived": pair(check.derived),
        "difference_pct": pair(check.difference_pct),
        "arithmetic": list(check.derivation.steps),
    }


def flag_record(flag: Flag) -> dict[str, str]:
    """A flag recorded in the data."""
    return {"id": flag.service.id, "where": flag.where, "flag": flag.text}


def conversion_record(result: Converted) -> dict[str, Any]:
    """One conversion."""
    conversion = result.conversion
    return {
        "amount": span(result.amount, plain, "-"),
        "currency": result.currency,
        "to": conversion.currency,
        "result": span(conversion.amount, fixed, "-"),
        "rate": plain(conversion.rate),
        "rate_date": (conversion.rate_date or result.on).isoformat(),
        "source": conversion.source,
    }


def service_record(service: Service) -> dict[str, Any]:
    """A record as its file states it (the model's fields, in order)."""
    return service.model_dump(mode="json")


def currency_record(item: CurrencyRates) -> dict[str, Any]:
    """What is stored for one currency."""
    return {
        "currency": item.currency,
        "dates": item.dates,
        "first": item.first.isoformat(),
        "last": item.last.isoformat(),
        "sources": list(item.sources),
        "layers": list(item.layers),
    }


def quote_record(quote: Quote) -> dict[str, str]:
    """One stored rate."""
    return {
        "currency": quote.currency,
        "date": quote.date.isoformat(),
        "rate": plain(quote.rate),
        "base": quote.base,
        "source": quote.source,
        "layer": quote.layer,
    }
