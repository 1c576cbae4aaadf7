"""A pilot's appraisal as labelled numbers and lines, shared by the table, markdown and HTML.

The decisive numbers come first: unit cost, the net annual saving, the budget-neutral points,
the horizon and the payback year; then the arithmetic, each baseline with its price-year factor,
the cash flow and the rank.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from cmhcost.conversion.prices import Adjustment
from cmhcost.domain.money import Range
from cmhcost.domain.number_text import TENTH, WHOLE, fixed, span
from cmhcost.engine.pilot import CashFlow, PilotReport
from cmhcost.engine.pilot.cashflow import RESIDUAL
from cmhcost.engine.pilot.price_year import overall_factor
from cmhcost.engine.pilot.scenarios import side_by_side


def ratio(value: Range) -> str:
    """A ratio or a share for people: two places."""
    return span(value, fixed)


def _years(value: Range) -> str:
    return span(value, lambda d: fixed(d, WHOLE))


def reach_words(share: Range, what: str) -> str:
    """Whether a share can be reached, said for each end of its range."""
    if share.high <= 1:
        return "reachable"
    if share.low > 1:
        return f"unreachable: above 1 at both ends ({what})"
    return f"reachable at the low end only: the high end is above 1 ({what})"


def payback_words(flow: CashFlow) -> str:
    """The payback year at each end of the ranges."""
    best, worst = flow.payback
    if best is None:
        return "none within the horizon"
    if worst == best:
        return f"year {best}"
    later = "none within the horizon" if worst is None else f"year {worst}"
    return f"year {best} at the favourable end; {later} at the unfavourable end"


def heading(report: PilotReport) -> str:
    """The pilot's name, place and category."""
    service = report.service
    return f"{service.name} — {service.place}, {service.country} [{service.category.value}]"


def basis_words(report: PilotReport) -> str:
    """Where the amounts are: the basis, or the pilot's currency at its price year."""
    if report.basis:
        return f"on the basis {report.basis}; the pilot's own price year {report.price_year}"
    if report.price_year is None:
        return "at each amount's own price year (the pilot states none)"
    rate = "" if report.currency == report.local else ", converted at market rates of that year"
    return f"at {report.price_year} prices{rate}"


def decisive(report: PilotReport) -> list[tuple[str, str]]:
    """The numbers a budget committee reads first, each labelled."""
    cur, unit = report.currency, report.unit
    rows = [
        ("Unit cost", f"{cur} {span(report.cost)} per {unit} ({basis_words(report)})"),
    ]
    outcomes = report.outcomes
    if outcomes is not None and report.comparisons:
        base = report.comparisons[0]
        rows.append(
            (
                f"Baseline ({base.baseline.label})",
                f"{cur} {span(base.baseline_cost)} per {unit}; ratio {ratio(base.ratio)}",
            )
        )
        rows.append(
            (
                "Substitution",
                f"{ratio(report.substitution)} of the pilot's units replace a unit of the baseline",
            )
        )
        rows.append(
            (
                "Net annual saving",
                f"{cur} {span(outcomes.net_saving.scale(report.display_factor))} (baseline care replaced less the pilot's whole annual cost)",
            )
        )
        if outcomes.neutral_occupancy is not None:
            rows.append(
                (
                    "Budget-neutral occupancy",
                    f"{ratio(outcomes.neutral_occupancy)}: {reach_words(outcomes.neutral_occupancy, 'beds more than full')}",
                )
            )
        rows.append(
            (
                "Budget-neutral budget",
                f"{cur} {span(outcomes.neutral_budget.scale(report.display_factor))} a year at the stated capacity and substitution",
            )
        )
        rows.append(
            (
                "Break-even substitution",
                f"{ratio(outcomes.neutral_substitution)}: {reach_words(outcomes.neutral_substitution, 'more stays than the pilot has')}",
            )
        )
        if outcomes.parity_occupancy is not None:
            rows.append(
                (
                    "Unit-cost parity occupancy",
                    f"{ratio(outcomes.parity_occupancy)} (a unit costs the baseline's; ignores substitution)",
                )
            )
        rows.append(
            (
                "Unit-cost parity budget",
                f"{cur} {span(outcomes.parity_budget.scale(report.display_factor))} a year",
            )
        )
        rows.append(
            (
                "Annual saving on the substituting units",
                f"{cur} {span(outcomes.annual_saving.scale(report.display_factor))}",
            )
        )
    flow = report.cash_flow
    if flow is not None:
        rate = span(flow.rate.scale(Decimal(100)), lambda d: fixed(d, TENTH))
        rows.append(
            (
                f"Net over {_years(flow.horizon)} years, discounted at {rate}%",
                f"{cur} {span(flow.net)}",
            )
        )
        rows.append(("Capital outlay in year 0", f"{cur} {span(flow.years[0].capital)}"))
        rows.append(("Payback year (discounted)", payback_words(flow)))
    rows.append(("Rank among the guidance", rank_words(report)))
    return rows  # fmt: skip


def rank_words(report: PilotReport) -> str:
    """The pilot's rank among its category's services, or why it has none."""
    if not report.ranked:
        return report.rank_note or "unranked: no service of its category and unit to rank among"
    place = f"{_years(report.rank)} of {len(report.peers)} {report.service.category.value} services per {report.unit}, cheapest first"
    return place + (f"; {report.rank_note}" if report.rank_note else "")  # fmt: skip


CASH_HEADER = ("Year", "Capital", "Running", "Avoided", "Net", "Cumulative", "Factor", "Discounted", "Cum. discounted")  # fmt: skip


def cash_rows(flow: CashFlow) -> list[list[str]]:
    """The cash flow's years as cells; years of the longer horizon only are marked `*`."""
    return [
        [f"{y.year}{'*' if y.longer_only else ''}", span(y.capital), span(y.running), span(y.avoided),
         span(y.net), span(y.cumulative), ratio(y.factor), span(y.discounted),
         span(y.cumulative_discounted)]
        for y in flow.years
    ]  # fmt: skip


def cash_note(flow: CashFlow) -> str:
    """How the cash flow is drawn up."""
    star = "; * a year of the longer horizon only" if not flow.horizon.is_point else ""
    return (
        "Spending positive in Capital and Running; Net = Avoided − Running − Capital; each year "
        f"discounted by 1 / (1 + r)^t, flows at the end of the year{star}. {RESIDUAL.capitalize()}."
    )


def detail_lines(report: PilotReport) -> Iterator[str]:
    """The arithmetic, the baselines with their price-year factors, and the peers."""
    cur = report.currency
    if report.derivation:
        yield f"Arithmetic ({report.local}, {report.price_year or 'no'} prices):"
        yield from (f"  - {step}" for step in report.derivation.steps)
    if report.display is not None:
        yield f"  - shown in {cur}: × {overall_factor(report.display):.6g} ({_step(report)})"
    yield from (f"- Assumption: {note}" for note in report.assumptions)
    for row in report.comparisons:
        yield (
            f"- Against {row.baseline.label}: {cur} {span(row.baseline_cost)} per {row.unit}; "
            f"ratio {ratio(row.ratio)}; saving per {row.unit} {cur} {span(row.saving)}"
        )
        yield from (f"  - {note}" for note in row.notes)
        yield from (f"  - caveat: {caveat}" for caveat in row.caveats)
        yield from (f"  - flag: {flag}" for flag in row.flags)
    yield from (f"- Not compared with {s.label}: {s.message}" for s in report.skipped)
    if report.ranked:
        yield f"- Services of the category per {report.unit} in {cur}, cheapest first:"
    for i, peer in enumerate(report.peers if report.ranked else (), 1):
        marker = " ← this pilot" if peer.is_pilot else _factors(peer.steps)
        yield f"  {i}. {peer.service.name} ({', '.join(peer.figure_ids)}): {cur} {span(peer.cost)}{marker}"  # fmt: skip
    if report.unranked:
        yield f"- Not ranked: {', '.join(report.unranked)}"


def _factors(steps: tuple[Adjustment | None, ...]) -> str:
    """How a peer's figures came to the pilot's basis: index factor, rate or PPP, projection."""
    words = []
    for step in steps:
        if step is None:
            continue
        how = f"{step.currency} of {step.price_year} × {step.inflation_factor:.4f}"
        if step.ppp_factor is not None:
            how += f" × PPP {step.ppp_factor:.6g}"
        elif step.rate not in (None, 1):
            how += f" × rate {step.rate:.6g}"
        if step.projection is not None:
            how += f"; {step.projection.described}"
        words.append(how)
    return f" ({'; '.join(words)})" if words else ""


def _step(report: PilotReport) -> str:
    step = report.display
    assert step is not None
    if step.ppp_factor is not None:
        return f"index × {step.inflation_factor:.4f}, PPP {step.ppp_from} → {step.ppp_to}"
    return f"index × {step.inflation_factor:.4f}, rate {step.rate:.6g} ({step.rate_source})"


SCENARIO_HEADER = ("Pilot", "Unit cost", "Cheapest (of the pilots)", "Net annual saving", "Budget-neutral?", "Budget-neutral occupancy", "Break-even substitution", "Net over the horizon", "Rank in the guidance")  # fmt: skip


def scenario_rows(reports: Sequence[PilotReport]) -> tuple[list[list[str]], str | None]:
    """A row per pilot with the decisive numbers, and why unit costs are not ranked if not."""
    compared = side_by_side(reports)
    rows = []
    for s in compared.rows:
        r, cur = s.report, s.report.currency
        rows.append([
            r.service.name, f"{cur} {span(r.cost)} per {r.unit}",
            "-" if s.cost_rank is None else _years(s.cost_rank),
            "-" if r.net_saving is None else f"{cur} {span(r.net_saving)}", s.neutral.value,
            "-" if r.neutral_occupancy is None else ratio(r.neutral_occupancy),
            "-" if r.neutral_substitution is None else ratio(r.neutral_substitution),
            "-" if r.cash_flow is None else f"{cur} {span(r.cash_flow.net)}",
            _years(r.rank) + f" of {len(r.peers)}" if r.ranked else "unranked",
        ])  # fmt: skip
    return rows, compared.note


def pilot_method(report: PilotReport) -> str:
    """How the appraisal was made, for the basis it was actually made on."""
    year = report.price_year
    if report.basis:
        money = (
            f"Every amount is taken to the basis {report.basis}: inflated or deflated with its "
            "own country's consumer price index to the target year, then converted at that "
            "year's purchasing power parities (local currency units per international dollar)."
        )
    elif year is not None:
        converted = (
            "" if report.currency == report.local and not report.peers[1:]
            else " An amount in another currency is then converted at the mean of the market "
            f"rates stored for {year} (or at --rates-date)."
        )  # fmt: skip
        money = (
            f"Every baseline and peer is brought to the pilot's price year, {year}, in its own "
            "country and currency with that country's consumer price index (or the user's "
            "index); a year after the index's last is projected at its last published annual "
            f"rate and marked.{converted}"
        )
    else:
        money = "The pilot states no price year: amounts are compared at their own price years."
    return (
        f"{money} The pilot's annual cost is its running budget plus each capital line's "
        "equivalent annual cost, C × r / (1 − (1 + r)^−n); its unit cost is that over the units "
        "its capacity provides. Against the baseline B per unit with U units a year and a "
        "substitution share s: the net annual saving is s × B × U − cost; it is zero at the "
        "budget-neutral occupancy cost / (beds × 365.25 × B × s), the budget-neutral budget "
        "s × B × U and the break-even substitution cost / (B × U); unit-cost parity (s ignored) "
        "is cost / (beds × 365.25 × B). A share above 1 cannot be reached, judged at each end of "
        "a range. The horizon is a cash flow: capital when it is spent, running costs and the "
        "baseline care avoided each year, discounted by 1 / (1 + r)^t. "
        + RESIDUAL.capitalize()
        + "."
    )
