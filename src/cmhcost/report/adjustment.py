"""One amount taken to a price year and basis, as text (one line per step) or as a JSON record."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cmhcost.conversion.prices import Adjustment
from cmhcost.domain.choices import INTERNATIONAL_DOLLAR, PriceBasis
from cmhcost.domain.money import Range
from cmhcost.domain.number_text import fixed, plain, span


def _span(value: Range, joiner: str = "-") -> str:
    return span(value, fixed, joiner)


def _plain(value: Range) -> str:
    return span(value, plain, "-")


def _factor(value: Decimal) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def target_name(result: Adjustment) -> str:
    """`I$` for international dollars, else the target currency code."""
    target = result.target
    if target.basis is PriceBasis.PPP and target.currency == "USD" and target.country == "US":
        return INTERNATIONAL_DOLLAR
    return target.currency


def adjustment_record(amount: Range, result: Adjustment) -> dict[str, Any]:
    """The conversion as plain data: the keys of `convert --format json`, then each step's factors."""
    market = result.target.basis is PriceBasis.MARKET
    back = result.back
    return {
        "amount": _plain(amount),
        "currency": back.currency if back else result.currency,
        "to": target_name(result),
        "result": _span(result.amount),
        "rate": plain(result.rate) if market and result.rate is not None else None,
        "rate_date": None,
        "source": result.rate_source if market else result.ppp_source,
        "price_year": result.price_year,
        "target_year": result.target.year,
        "country": result.country,
        "to_country": result.to_country,
        "basis": result.target.basis.value,
        "inflation_factor": plain(result.inflation_factor),
        "index_source": result.index_source,
        "ppp_source": result.ppp_source,
        "ppp": None if result.ppp_from is None else plain(result.ppp_from),
        "ppp_target": None if result.ppp_to is None else plain(result.ppp_to),
        "target_per_local": None if result.ppp_factor is None else plain(result.ppp_factor),
        "back_to_local": None
        if back is None
        else {
            "currency": back.local,
            "rate": plain(back.rate),
            "rate_date": back.on.isoformat() if back.on else None,
            "source": back.source,
            "why": back.why,
        },
        "projection": None if result.projection is None else result.projection.described,
    }


def adjustment_steps(amount: Range, result: Adjustment) -> list[str]:
    """The arithmetic, one line per step."""
    target = result.target
    back = result.back
    inflated = (back.amount if back else amount).scale(result.inflation_factor)
    stated = back.currency if back else result.currency
    lines = [f"{_plain(amount)} {stated} at {result.price_year} prices ({result.country})"]
    if back is not None:
        lines.append(
            f"step 0, back to the local currency: x {_factor(back.rate)} {back.local} per "
            f"{back.currency} = {_span(back.amount, '–')} {back.local} ({back.why}; {back.source})"
        )
    lines += [
        f"step 1, prices {result.price_year} -> {target.year} in {result.country}: "
        f"x {_factor(result.inflation_factor)} = {_span(inflated, '–')} {result.currency} "
        f"of {target.year} ({result.index_source}"
        + (f"; {result.projection.described})" if result.projection else ")"),
    ]
    name = target_name(result)
    if target.basis is PriceBasis.PPP:
        assert result.ppp_from is not None and result.ppp_to is not None
        lines.append(
            f"step 2, PPP {target.year}: / {result.ppp_from} {result.currency} per I$ "
            f"({result.country}) x {result.ppp_to} {target.currency} per I$ ({target.country}) "
            f"= {name} {_span(result.amount, '–')} "
            f"of {target.year} ({result.ppp_source})"
        )
    else:
        assert result.rate is not None
        lines.append(
            f"step 2, market rate {target.year}: x {_factor(result.rate)} = "
            f"{name} {_span(result.amount, '–')} of {target.year} ({result.rate_source})"
        )
    return lines
