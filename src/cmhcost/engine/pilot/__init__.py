"""A planner's pilot: one price year, break-evens, cash flow, rank and scenarios side by side.

`arithmetic` holds the money arithmetic (one pure function, `appraise`); `cashflow` the horizon
year by year; `price_year` brings amounts to the pilot's price year; `evaluate` gathers a record's
inputs and ranks it; `scenarios` sets several pilots side by side; `checks` vets a pilot file.
"""

from cmhcost.engine.pilot.arithmetic import Outcomes, PilotInputs, Reach, appraise
from cmhcost.engine.pilot.cashflow import CashFlow, CashYear
from cmhcost.engine.pilot.checks import check_pilots, currency_field
from cmhcost.engine.pilot.evaluate import PilotRequest, evaluate, pilot_figure
from cmhcost.engine.pilot.report import Peer, PilotReport

__all__ = [
    "CashFlow",
    "CashYear",
    "Outcomes",
    "Peer",
    "PilotInputs",
    "PilotReport",
    "PilotRequest",
    "Reach",
    "appraise",
    "check_pilots",
    "currency_field",
    "evaluate",
    "pilot_figure",
]
