"""A planner's workbook: the pilot's inputs, a calculation of live formulas, comparable services.

Every result is a formula over the inputs sheet, so a planner who changes occupancy or a budget
line in Excel sees unit cost, ratio, break-even and saving move. The formulas follow cmhcost's own
interval arithmetic (the low ratio is the low cost over the high baseline), so they recompute to
what `cmhcost pilot --format json` prints.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cmhcost.conversion.prices import step_note
from cmhcost.domain.errors import CmhcostError
from cmhcost.domain.money import Range
from cmhcost.engine.compare import Row
from cmhcost.engine.pilot import PilotReport, pilot_figure
from cmhcost.engine.pilot.evaluate import STAYS
from cmhcost.engine.pilot.price_year import overall_factor
from cmhcost.report.workbook import Sheet, cell_formats, cite, text, workbook
from cmhcost.schema.services import DAYS_PER_YEAR, Baseline, Budget, Capacity, Figure, Unit


def _shown_rate(report: PilotReport) -> tuple[Decimal, str, str]:
    """Shown currency per unit of the pilot's, as the engine converted (its display factor)."""
    local, shown = report_local(report), report.currency
    step = report.display
    if step is None:
        note = "same currency" if local == shown else "market rate of the pilot's month"
        return report.display_factor, f"{shown} per {local}", note
    return report.display_factor, f"{shown} per {local}", step_note(step)


def _baseline_rates(
    report: PilotReport, row: Row, figure: Figure
) -> tuple[tuple[Decimal, str, str], tuple[Decimal, str, str]]:
    """The baseline into the shown currency and into the pilot's, with the engine's factors."""
    local, shown, cur = report_local(report), report.currency, figure.currency
    own = next((r for r in report.local_rows if r.baseline.id == row.baseline.id), None)
    step = own.baseline_adjustment if own is not None else None
    found = report.by_baseline.get(row.baseline.id)
    to_local = found.baseline_factor if found is not None else overall_factor(step)
    note = step_note(step) if step else "same currency" if cur == local else "market rate"
    to_shown = to_local * report.display_factor
    shown_note = note if report.display is None else f"{note}; then {step_note(report.display)}"
    return (to_shown, f"{shown} per {cur}", shown_note), (to_local, f"{local} per {cur}", note)


def pilot_workbook(reports: Sequence[PilotReport]) -> bytes:
    """A planner's workbook per pilot: inputs, live calculation, comparable services."""
    buffer = io.BytesIO()
    book = workbook(buffer)
    formats = cell_formats(book)
    for i, report in enumerate(reports, 1):
        suffix = "" if len(reports) == 1 else f" {i}"
        values: dict[str, Decimal] = {}  # shared, so formulas read cells of every sheet
        inputs = Sheet(book, f"Inputs{suffix}", formats, values=values)
        calc = Sheet(book, f"Calculation{suffix}", formats, values=values)
        peers = Sheet(book, f"Comparable services{suffix}", formats, values=values)
        cost = _pilot_sheets(report, inputs, calc)
        _peers_sheet(report, peers, cost)
    book.close()
    return buffer.getvalue()


def _pilot_sheets(report: PilotReport, inputs: Sheet, calc: Sheet) -> tuple[str, str]:
    """Fill the inputs and calculation sheets; return the cells of the displayed unit cost."""
    service = report.service
    budget = service.budget
    if budget is None:
        raise CmhcostError(f"{service.id}: a workbook needs a pilot with a budget and a capacity")
    local, shown = budget.currency, report.currency
    inputs.title(f"{service.name} — {service.place}, {service.country}: inputs (edit these)")
    calc.title(f"{service.name}: calculation (every cell a formula over the inputs)")

    inputs.heading("Annual budget")
    first = inputs.row + 1
    for line in budget.lines:
        low, high = line.amount.low, line.amount.high
        last = inputs.put(line.label, low, high, f"{local} a year", "the pilot's budget line")
    calc.heading("Unit cost")
    total = calc.put(
        "Annual budget", f"=SUM({inputs.ref(first, 'B')}:{inputs.ref(last, 'B')})",
        f"=SUM({inputs.ref(first, 'C')}:{inputs.ref(last, 'C')})", f"{local} a year", "sum of the budget lines",
    )  # fmt: skip
    running, rate_row = total, None
    lines: tuple[tuple[int, int], ...] = ()
    if budget.capital:
        total, lines, rate_row = _capital(budget, inputs, calc, total)
    units, unit, beds = _capacity(budget.capacity, inputs, calc)
    cal = calc.ref
    unit_cost = calc.put(
        "Unit cost", f"={cal(total, 'B')}/{cal(units, 'C')}", f"={cal(total, 'C')}/{cal(units, 'B')}",
        f"{local} per {unit}",
        "budget / units a year (low budget over high units)",
    )  # fmt: skip
    inputs.heading("Exchange rates")
    r = inputs.constant(f"{shown} per {local}", *_shown_rate(report))
    shown_cost = calc.put(
        "Unit cost, shown", f"={cal(unit_cost, 'B')}*{inputs.ref(r, 'B')}",
        f"={cal(unit_cost, 'C')}*{inputs.ref(r, 'C')}",
        f"{shown} per {unit}", "unit cost × exchange rate",
    )  # fmt: skip
    cells = Cells(unit_cost, shown_cost, total, units, r, beds, running, lines, rate_row)
    for index, row in enumerate(report.comparisons):
        baseline = next(b for b in service.baselines if b.id == row.baseline.id)
        _baseline_rows(report, row, baseline, (inputs, calc), cells, index == 0)
    return calc.ref(shown_cost, "B"), calc.ref(shown_cost, "C")


def _eac(amount: str, rate: str, life: str) -> str:
    """The equivalent annual cost as an Excel formula (a rate of 0 spreads the cost evenly)."""
    return f"IF({rate}=0,{amount}/{life},{amount}*{rate}/(1-(1+{rate})^-{life}))"


def _capital(
    budget: Budget, inputs: Sheet, calc: Sheet, running: int
) -> tuple[int, tuple[tuple[int, int], ...], int]:
    """Capital lines annualised, C x r / (1 - (1 + r)^-n), added to the running budget: the row
    of the annual cost, the inputs' rows of each line's amount and life, and the rate's row.
    The low end takes the low cost, the long life and the low rate."""
    local, inp, cal = budget.currency, inputs.ref, calc.ref
    inputs.heading("Capital (one-off start-up costs)")
    rate = inputs.put("Discount rate", budget.discount_rate.low, budget.discount_rate.high,
                      "a year", "the pilot's discount rate (default 3%, WHO-CHOICE)", "ratio")  # fmt: skip
    rows, lines = [], []
    for line in budget.capital:
        amount = inputs.put(
            line.label, line.amount.low, line.amount.high, local, "the pilot's capital line"
        )
        life = inputs.put(f"Useful life: {line.label}", line.life_years.low, line.life_years.high,
                          "years", "the pilot's capital line", "number")  # fmt: skip
        lines.append((amount, life))
        low = _eac(inp(amount, "B"), inp(rate, "B"), inp(life, "C"))
        high = _eac(inp(amount, "C"), inp(rate, "C"), inp(life, "B"))
        rows.append(calc.put(f"Capital a year: {line.label}", f"={low}", f"={high}",
                             f"{local} a year", "equivalent annual cost: C × r / (1 - (1 + r)^-n)"))  # fmt: skip
    capital = [f"=SUM({cal(rows[0], col)}:{cal(rows[-1], col)})" for col in ("B", "C")]
    note = "sum of the capital lines"
    total = calc.put("Capital a year", capital[0], capital[1], f"{local} a year", note)
    annual = calc.put("Annual cost", f"={cal(running, 'B')}+{cal(total, 'B')}",
                      f"={cal(running, 'C')}+{cal(total, 'C')}", f"{local} a year",
                      "running budget + capital a year")  # fmt: skip
    return annual, tuple(lines), rate


def _capacity(
    capacity: Capacity, inputs: Sheet, calc: Sheet
) -> tuple[int, str, tuple[int, int] | None]:
    """Capacity inputs and the formula for the units a year: its row, the unit, and the rows of
    beds and days a year when the capacity is in beds."""
    inputs.heading("Capacity")

    def put(label: str, value: Range, unit: str, kind: str = "number") -> int:
        return inputs.put(label, value.low, value.high, unit, "the pilot's capacity", kind)

    if capacity.beds is not None and capacity.occupancy is not None:
        beds = put("Beds", capacity.beds, "beds")
        occupancy = put("Occupancy", capacity.occupancy, "share of beds in use", "ratio")
        year = DAYS_PER_YEAR
        days = inputs.put(
            "Days a year", year, year, "days", "cmhcost's year: 365.25 days", "number"
        )
        parts = (beds, occupancy, days)
        formulas = ["=" + "*".join(inputs.ref(p, col) for p in parts) for col in ("B", "C")]
        row = calc.put(
            "Bed-nights a year", formulas[0], formulas[1], "bed-nights",
            "beds × occupancy × days a year", "number",
        )  # fmt: skip
        return row, Unit.BED_NIGHT.value, (beds, days)
    for value, label, unit in (
        (capacity.residents, "Residents all year", Unit.PERSON_YEAR),
        (capacity.people_per_year, "People served a year", Unit.PERSON),
        (capacity.population, "Catchment population", Unit.CAPITA_YEAR),
    ):
        if value is not None:
            source = put(label, value, unit.value.split("-")[0] + "s")
            formulas = [f"={inputs.ref(source, col)}" for col in ("B", "C")]
            row = calc.put(
                f"{unit.value}s a year",
                formulas[0],
                formulas[1],
                unit.value,
                label.lower(),
                "number",
            )
            return row, unit.value, None
    raise CmhcostError("the pilot's capacity gives no units")


@dataclass(frozen=True)
class Cells:
    """Rows of the calculation and inputs sheets that each baseline's formulas use."""

    unit_cost: int  # calculation: unit cost in the pilot's currency
    shown_cost: int  # calculation: unit cost in the shown currency
    total: int  # calculation: annual budget
    units: int  # calculation: units a year
    rate: int  # inputs: shown currency per pilot currency
    beds: tuple[int, int] | None  # inputs: beds and days a year, when the capacity is in beds
    running: int = 0  # calculation: the running budget, before capital
    capital: tuple[tuple[int, int], ...] = ()  # inputs: each capital line's amount and life
    discount_rate: int | None = None  # inputs: the discount rate, when there is capital


def _baseline_rows(
    report: PilotReport, row: Row, baseline: Baseline, sheets: tuple[Sheet, Sheet],
    cells: Cells, first: bool,
) -> None:  # fmt: skip
    """Inputs of one baseline; ratio and saving against it; break-even against the first."""
    inputs, calc = sheets
    unit, shown = pilot_figure(report.service).unit.value, report.currency
    inputs.heading(f"Baseline: {baseline.label}")
    calc.heading(f"Against {baseline.label}")
    cal = calc.ref
    cost = (cal(cells.shown_cost, "B"), cal(cells.shown_cost, "C"))
    if baseline.cost is None:
        base, ratio, local_base = _stated_ratio(report, row, sheets, cells)
    else:
        base, ratio, local_base = _costed(report, row, baseline.cost, sheets, cost, first)
    calc.put(f"Saving per {unit}", f"={cal(base, 'B')}-{cost[1]}", f"={cal(base, 'C')}-{cost[0]}",
             f"{shown} per {unit}", "baseline - unit cost")  # fmt: skip
    calc.put("Saving %", f"=(1-{cal(ratio, 'C')})*100", f"=(1-{cal(ratio, 'B')})*100", "percent",
             "(1 - ratio) × 100", "percent")  # fmt: skip
    if first:
        _break_even(report, inputs, calc, cells, local_base)


def _stated_ratio(
    report: PilotReport, compared: Row, sheets: tuple[Sheet, Sheet], cells: Cells
) -> tuple[int, int, int]:
    """A baseline the text gives only as a ratio: the ratio is an input, the baseline follows."""
    inputs, calc = sheets
    relative, unit = compared.baseline.relative, pilot_figure(report.service).unit.value
    assert relative is not None
    claimed = compared.ratio  # with no baseline cost, the ratio is the one the text states
    row = inputs.put("Ratio the text states", claimed.low, claimed.high, "service / baseline",
                     f"{cite(relative.source)} ({relative.words})", "ratio")  # fmt: skip
    ratio = calc.put("Ratio", f"={inputs.ref(row, 'B')}", f"={inputs.ref(row, 'C')}",
                     "service / baseline", "the text's stated ratio", "ratio")  # fmt: skip
    low, high = inputs.ref(row, "B"), inputs.ref(row, "C")
    shown, local = (
        (calc.ref(cells.shown_cost, c) for c in "BC"),
        (calc.ref(cells.unit_cost, c) for c in "BC"),
    )
    base = calc.put(f"Baseline per {unit}", f"={next(shown)}/{high}", f"={next(shown)}/{low}",
                    f"{report.currency} per {unit}", "unit cost / stated ratio")  # fmt: skip
    local_base = calc.put(
        f"Baseline per {unit}, {report_local(report)}", f"={next(local)}/{high}",
        f"={next(local)}/{low}", f"{report_local(report)} per {unit}",
        "the baseline in the pilot's own currency, for the break-even",
    )  # fmt: skip
    return base, ratio, local_base


def _costed(
    report: PilotReport, row: Row, figure: Figure, sheets: tuple[Sheet, Sheet],
    cost: tuple[str, str], first: bool,
) -> tuple[int, int, int]:  # fmt: skip
    """A baseline with a cost: amount, unit days and rates as inputs; baseline and ratio follow."""
    inputs, calc = sheets
    inp, cal = inputs.ref, calc.ref  # short names keep the formulas readable
    service, shown, local = report.service, report.currency, report_local(report)
    unit = pilot_figure(service).unit
    amount = inputs.put(figure.label, figure.amount.low, figure.amount.high,
                        f"{figure.currency} per {figure.unit.value}", cite(figure.source))  # fmt: skip
    pilot_days = inputs.constant(
        f"Days in a {unit.value}", unit.days or 1, "days", "the pilot's unit"
    )
    los = report.service.pilot.length_of_stay if report.service.pilot else None
    if los is not None and figure.unit in STAYS and unit not in STAYS:
        base_days = inputs.put(
            "Length of stay", los.low, los.high, "days",
            f"the pilot's length_of_stay: days in one {figure.unit.value}", "number",
        )  # fmt: skip
    else:
        base_days = inputs.constant(
            f"Days in a {figure.unit.value}", figure.unit.days or 1, "days", "the baseline's unit"
        )
    rate_shown, rate_local = _baseline_rates(report, row, figure)
    r_shown = inputs.constant(f"{shown} per {figure.currency}", *rate_shown)
    r_local = inputs.constant(f"{local} per {figure.currency}", *rate_local)
    # The low baseline per unit takes the long stay: a stay's cost spread over more days.
    per = [f"{inp(pilot_days, 'B')}/{inp(base_days, col)}" for col in ("C", "B")]

    def per_unit(label: str, currency: str, rate: int, why: str) -> int:
        """The baseline per pilot unit in `currency`, through the exchange rate in row `rate`."""
        low, high = (
            f"={inp(amount, c)}*{days}*{inp(rate, c)}" for c, days in zip("BC", per, strict=True)
        )
        return calc.put(label, low, high, f"{currency} per {unit.value}", why)

    base = per_unit(f"Baseline per {unit.value}", shown, r_shown,
                    "baseline × days in the pilot's unit / days in the baseline's × exchange rate")  # fmt: skip
    ratio = calc.put("Ratio", f"={cost[0]}/{cal(base, 'C')}", f"={cost[1]}/{cal(base, 'B')}",
                     "service / baseline", "unit cost / baseline (low over high)", "ratio")  # fmt: skip
    local_base = per_unit(f"Baseline per {unit.value}, {local}", local, r_local,
                          "the baseline in the pilot's own currency, for the break-even")  # fmt: skip
    return base, ratio, local_base


def _break_even(report: PilotReport, inputs: Sheet, calc: Sheet, cells: Cells, base: int) -> None:
    inp, cal = inputs.ref, calc.ref  # short names keep the formulas readable
    local, shown = report_local(report), report.currency
    calc.heading("Break-even (against the first baseline)")
    units, total, rate = (
        (cal(cells.units, "B"), cal(cells.units, "C")),
        (cal(cells.total, "B"), cal(cells.total, "C")),
        inp(cells.rate, "B"),
    )
    budget = calc.put("Break-even budget", f"={cal(base, 'B')}*{units[0]}", f"={cal(base, 'C')}*{units[1]}",
                      f"{local} a year", "baseline × units a year: the budget at which the pilot costs the same")  # fmt: skip
    calc.put("Break-even budget, shown", f"={cal(budget, 'B')}*{rate}", f"={cal(budget, 'C')}*{rate}",
             f"{shown} a year", "× exchange rate")  # fmt: skip
    share = report.substitution
    s = inputs.put("Substitution", share.low, share.high, "share of units",
                   "units of the pilot that replace a unit of the baseline", "ratio")  # fmt: skip
    gross = (f"({cal(budget, 'B')}-{total[1]})", f"({cal(budget, 'C')}-{total[0]})")
    low, high = (f"{gross[i]}*{inp(s, col)}" for i, col in ((0, "B"), (0, "C")))
    top = (f"{gross[1]}*{inp(s, 'B')}", f"{gross[1]}*{inp(s, 'C')}")
    saving = calc.put("Annual saving", f"=MIN({low},{high})", f"=MAX({top[0]},{top[1]})",
                      f"{local} a year", "substitution × (break-even budget - annual cost)")  # fmt: skip
    calc.put("Annual saving, shown", f"={cal(saving, 'B')}*{rate}", f"={cal(saving, 'C')}*{rate}",
             f"{shown} a year", "× exchange rate")  # fmt: skip
    if cells.beds is not None:
        beds, days = (inp(cells.beds[0], "B"), inp(cells.beds[0], "C")), inp(cells.beds[1], "B")
        calc.put("Break-even occupancy", f"={total[0]}/({beds[1]}*{cal(base, 'C')}*{days})",
                 f"={total[1]}/({beds[0]}*{cal(base, 'B')}*{days})", "share of beds in use",
                 "unit-cost parity: annual budget / (beds × baseline per night × days a year)",
                 "ratio")  # fmt: skip
    neutral = calc.put("Budget-neutral budget", f"={cal(budget, 'B')}*{inp(s, 'B')}",
                       f"={cal(budget, 'C')}*{inp(s, 'C')}", f"{local} a year",
                       "break-even budget × substitution: the annual cost at which the net saving is 0")  # fmt: skip
    net = calc.put("Net annual saving", f"={cal(neutral, 'B')}-{total[1]}",
                   f"={cal(neutral, 'C')}-{total[0]}", f"{local} a year",
                   "budget-neutral budget − annual cost: the baseline care replaced less the whole cost")  # fmt: skip
    calc.put("Net annual saving, shown", f"={cal(net, 'B')}*{rate}", f"={cal(net, 'C')}*{rate}",
             f"{shown} a year", "× exchange rate")  # fmt: skip
    calc.put("Break-even substitution", f"={total[0]}/{cal(budget, 'C')}",
             f"={total[1]}/{cal(budget, 'B')}", "share of units",
             "annual cost / break-even budget: the share at which the net saving is 0", "ratio")  # fmt: skip
    if cells.beds is not None:
        calc.put("Budget-neutral occupancy",
                 f"={total[0]}/({beds[1]}*{cal(base, 'C')}*{days}*{inp(s, 'C')})",
                 f"={total[1]}/({beds[0]}*{cal(base, 'B')}*{days}*{inp(s, 'B')})",
                 "share of beds in use",
                 "annual cost / (beds × baseline × days a year × substitution)", "ratio")  # fmt: skip
    if report.inputs is not None and report.inputs.horizon_years is not None:
        from cmhcost.report.pilot_cash_xlsx import cash_flow_rows

        rows = (cells.running, neutral, cells.discount_rate)
        cash_flow_rows(report, (inputs, calc), rows, cells.capital)


def report_local(report: PilotReport) -> str:
    """The pilot's own currency (its budget's)."""
    return pilot_figure(report.service).currency


def _peers_sheet(report: PilotReport, sheet: Sheet, cost: tuple[str, str]) -> None:
    unit, shown = report.unit, report.currency
    sheet.title(
        f"The guidance's {report.service.category.value} services per {unit} in {shown}, cheapest first"
    )
    sheet.heading("Service (figure)")
    for peer in report.peers:
        label = f"{peer.service.name} ({', '.join(peer.figure_ids)})"
        if peer.is_pilot:
            sheet.put(
                label + " ← this pilot",
                f"={cost[0]}",
                f"={cost[1]}",
                f"{shown} per {unit}",
                "from the calculation sheet",
            )
        else:
            sheet.put(
                label,
                peer.cost.low,
                peer.cost.high,
                f"{shown} per {unit}",
                f"{peer.service.place}, {peer.service.country}",
            )
    if report.unranked:
        sheet.row += 1
        text(sheet.ws, sheet.row, 0, "Not ranked (other units): " + ", ".join(report.unranked))
