"""The pilot workbook's horizon: a cash flow of live formulas, year by year.

Year 0 spends every capital line; a line is bought again in the year a multiple of its useful
life falls, when that is before the horizon's end; running costs and the baseline care avoided
fall in years 1 onwards; each year's net is discounted by 1 / (1 + r)^t, as `cmhcost pilot`
does (engine.pilot.cashflow). The cash flow is in the pilot's own currency.
"""

from __future__ import annotations

from collections.abc import Callable

from cmhcost.engine.pilot import PilotReport
from cmhcost.report.workbook import Sheet


def _from(cal: Callable[[int, str], str], row: int, year: int) -> tuple[str | int, str | int]:
    """A row of the calculation, from year 1 on; nothing in year 0."""
    if year == 0:
        return 0, 0
    return f"={cal(row, 'B')}", f"={cal(row, 'C')}"


def cash_flow_rows(
    report: PilotReport,
    sheets: tuple[Sheet, Sheet],
    rows: tuple[int, int, int | None],
    capital: tuple[tuple[int, int], ...],
) -> None:
    """Years 0 to the horizon: capital when spent, running costs, care avoided, net, discounted."""
    inputs, calc = sheets
    running_row, avoided, rate_row = rows  # calculation: running, avoided; inputs: the rate
    inp, cal, local = inputs.ref, calc.ref, report.local
    assert report.inputs is not None and report.inputs.horizon_years is not None
    horizon, budget = report.inputs.horizon_years, report.service.budget
    assert budget is not None
    inputs.heading("Horizon")
    h = inputs.put("Horizon", horizon.low, horizon.high, "years", "the pilot's horizon", "number")
    rate = rate_row or inputs.put(
        "Discount rate", budget.discount_rate.low, budget.discount_rate.high, "a year",
        "the pilot's discount rate (default 3%, WHO-CHOICE)", "ratio",
    )  # fmt: skip
    calc.heading(f"Cash flow ({local}): spending positive; capital when it is spent")
    previous: int | None = None
    ends: list[int] = []
    for year in range(int(horizon.high) + 1):
        outlay = _capital_in(year, capital, inp, inp(h, "C"))
        spent = calc.put(f"Year {year}: capital", outlay[0], outlay[1], f"{local}", "year 0: every line; then each line again when its life ends before the horizon's end")  # fmt: skip
        run = _from(cal, running_row, year)
        running = calc.put(f"Year {year}: running", run[0], run[1], local, "the running budget")
        saved = _from(cal, avoided, year)
        care = calc.put(f"Year {year}: avoided", saved[0], saved[1], local, "the budget-neutral budget: baseline care replaced")  # fmt: skip
        net = calc.put(f"Year {year}: net", f"={cal(care, 'B')}-{cal(running, 'C')}-{cal(spent, 'C')}",
                       f"={cal(care, 'C')}-{cal(running, 'B')}-{cal(spent, 'B')}", local,
                       "avoided − running − capital")  # fmt: skip
        factors = [f"(1+{inp(rate, c)})^{year}" for c in "BC"]
        low = f"=MIN({cal(net, 'B')}/{factors[0]},{cal(net, 'B')}/{factors[1]})"
        high = f"=MAX({cal(net, 'C')}/{factors[0]},{cal(net, 'C')}/{factors[1]})"
        discounted = calc.put(f"Year {year}: discounted", low, high, local, "net / (1 + r)^t")
        before = [f"+{cal(previous, c)}" if previous else "" for c in "BC"]
        previous = calc.put(f"Year {year}: cumulative discounted", f"={cal(discounted, 'B')}{before[0]}",
                            f"={cal(discounted, 'C')}{before[1]}", local, "the sum so far")  # fmt: skip
        if year in (int(horizon.low), int(horizon.high)):
            ends.append(previous)
    calc.put("Net over the horizon, discounted",
             "=MIN(" + ",".join(cal(e, "B") for e in ends) + ")",
             "=MAX(" + ",".join(cal(e, "C") for e in ends) + ")", local,
             "the cumulative discounted net at each end of the horizon")  # fmt: skip


def _capital_in(
    year: int, lines: tuple[tuple[int, int], ...], inp: Callable[[int, str], str], horizon: str
) -> tuple[str | int, str | int]:
    """Capital spent in `year`: every line in year 0; a line again in the year a multiple of its
    life falls, when that multiple is before the horizon's end (low: long life; high: short)."""
    if not lines:
        return 0, 0
    if year == 0:
        low, high = ("=" + "+".join(inp(a, c) for a, _ in lines) for c in "BC")
        return low, high
    cells = []
    for amount_col, life_col in (("B", "C"), ("C", "B")):
        parts = []
        for amount, life in lines:
            n = inp(life, life_col)
            parts.append(
                f"IF(AND(INT({year}/{n})>INT({year - 1}/{n}),INT({year}/{n})*{n}<{horizon}),"
                f"{inp(amount, amount_col)},0)"
            )
        cells.append("=" + "+".join(parts))
    return cells[0], cells[1]
