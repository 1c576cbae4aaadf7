"""The sensitivity analyses and the PSA as plain data: records for JSON, rows for every table.

Money has two decimal places, ratios, shares and probabilities four; nothing here computes a
figure (the engine's results are only written out).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cmhcost.domain.number_text import CENT, RATIO_PLACES, WHOLE, fixed, grouped
from cmhcost.engine.pilot_model import OUTCOMES

if TYPE_CHECKING:
    from cmhcost.engine.parameters import Parameter
    from cmhcost.engine.pilot_model import PilotModel
    from cmhcost.engine.psa import Psa
    from cmhcost.engine.sensitivity import Grid, OneWay, Values

OUTCOME_LABELS = OUTCOMES
MONEY = frozenset({"unit_cost", "annual_saving", "net_saving", "horizon_net"})
SHARES = ("occupancy", "substitution", "discount_rate", "price_factor")
CORRELATION = (
    "parameters are drawn independently: correlation between them is not modelled, so the spread "
    "of an outcome that two correlated inputs move together may be understated"
)


def number(outcome: str, value: Decimal | None) -> str | None:
    """An outcome as text: money to the cent, a ratio or share to four places."""
    if value is None:
        return None
    return fixed(value, CENT if outcome in MONEY else RATIO_PLACES)


def shown(outcome: str, value: Decimal | None) -> str:
    """An outcome for people: money grouped, whole units from 100 up; a ratio to four places."""
    if value is None:
        return ""
    if outcome not in MONEY:
        return fixed(value, RATIO_PLACES)
    return grouped(value, WHOLE if abs(value) >= 100 else CENT)


def value_text(parameter: Parameter, value: Decimal) -> str:
    """A parameter's value: a share or a factor to four places, an amount or a length to two."""
    places = RATIO_PLACES if parameter.short in SHARES else CENT
    return fixed(value, places)


def method(parameters: tuple[Parameter, ...], probabilistic: bool) -> list[str]:
    """What the analysis did, in sentences a report states before its numbers."""
    lines = [
        "Each input is a parameter named by its path in the pilot's record; a range is read as a "
        "95% interval about its midpoint (the base value) and fitted by the method of moments: a "
        "beta distribution for a share, a gamma for a cost, a count or a length (Briggs, Claxton "
        "& Sculpher 2006). A point input is fixed unless a spread is asked for.",
    ]
    if probabilistic:
        lines.append(
            "Every varying parameter is drawn from its distribution and the pilot's own "
            "arithmetic is run on each draw (in floating point; summaries are reported as "
            f"decimals); {CORRELATION}."
        )
    else:
        lines.append(
            "One way: each varying parameter at its low and its high in turn (a range's ends, or "
            "the 2.5% and 97.5% points of a named distribution), the others at base."
        )
    fixed_count = sum(1 for p in parameters if not p.varies)
    if fixed_count:
        lines.append(f"{fixed_count} inputs are fixed at their stated values.")
    return lines


def parameter_record(p: Parameter) -> dict[str, Any]:
    """A parameter: its path, label, base, low, high and distribution."""
    return {
        "parameter": p.name,
        "label": p.label,
        "base": value_text(p, p.base),
        "low": value_text(p, p.low),
        "high": value_text(p, p.high),
        "distribution": p.source,
    }


PARAMETER_HEADER = ["parameter", "label", "base", "low", "high", "distribution"]


def parameter_rows(parameters: tuple[Parameter, ...]) -> list[list[str]]:
    """The parameters as table rows."""
    return [list(parameter_record(p).values()) for p in parameters]


def outcomes_record(values: Values) -> dict[str, str | None]:
    """Every outcome present, as text."""
    return {k: number(k, v) for k, v in values.items() if v is not None}


def head(model: PilotModel) -> dict[str, Any]:
    """Which pilot, in which currency and unit."""
    return {
        "pilot": model.service.id,
        "name": model.service.name,
        "currency": model.currency,
        "unit": model.unit,
        "baseline": model.service.baselines[model.baseline_index].id,
    }


def present(values: Values) -> list[str]:
    """The outcomes a pilot has (no budget-neutral occupancy without beds, no horizon without)."""
    return [k for k in OUTCOME_LABELS if values.get(k) is not None]


def one_way_header(result: OneWay) -> list[str]:
    """Columns of the one-way table: the parameter, its two values, each outcome at each."""
    names = present(result.base)
    outcomes = [f"{name}_{end}" for name in names for end in ("low", "high")]
    return [
        "parameter",
        "label",
        "value_low",
        "value_high",
        *outcomes,
        f"swing_{result.ordered_by}",
    ]


def one_way_rows(result: OneWay) -> list[list[str]]:
    """One row per varying parameter, largest swing first."""
    names = present(result.base)
    rows = []
    for s in result.swings:
        p = s.parameter
        cells = [number(n, v) or "" for n in names for v in (s.at_low[n], s.at_high[n])]
        swing = number(result.ordered_by, s.swing(result.ordered_by)) or ""
        rows.append([p.name, p.label, value_text(p, p.low), value_text(p, p.high), *cells, swing])
    return rows


def sensitivity_record(result: OneWay, grid: Grid | None) -> dict[str, Any]:
    """The one-way analysis (and the grid, when asked) as one JSON document."""
    names = present(result.base)
    swings = [
        {
            "parameter": s.parameter.name,
            "label": s.parameter.label,
            "low": value_text(s.parameter, s.parameter.low),
            "high": value_text(s.parameter, s.parameter.high),
            "outcomes": {
                n: {"low": number(n, s.at_low[n]), "high": number(n, s.at_high[n])} for n in names
            },
            "swing": number(result.ordered_by, s.swing(result.ordered_by)),
        }
        for s in result.swings
    ]
    return {
        **head(result.model),
        "method": method(result.parameters, probabilistic=False),
        "base": outcomes_record(result.base),
        "ordered_by": result.ordered_by,
        "one_way": swings,
        "parameters": [parameter_record(p) for p in result.parameters],
        "grid": None if grid is None else grid_record(grid),
    }


def grid_record(grid: Grid) -> dict[str, Any]:
    """The two-way grid: net annual saving at each pair of values, and the budget-neutral line."""
    return {
        "outcome": "net_saving",
        "x": grid.x.name,
        "y": grid.y.name,
        "x_values": [value_text(grid.x, v) for v in grid.x_values],
        "y_values": [value_text(grid.y, v) for v in grid.y_values],
        "net_saving": [[number("net_saving", v) for v in row] for row in grid.saving],
        "budget_neutral": [
            {"x": value_text(grid.x, x), "y": None if y is None else value_text(grid.y, y)}
            for x, y in zip(grid.x_values, grid.neutral, strict=True)
        ],
    }


def grid_header(grid: Grid) -> list[str]:
    """Columns of the grid table: x, then one per y value, then the budget-neutral y."""
    ys = [value_text(grid.y, v) for v in grid.y_values]
    return [f"{grid.x.short} \\ {grid.y.short}", *ys, "budget-neutral"]


def grid_rows(grid: Grid) -> list[list[str]]:
    """One row per x value: the net saving at each y, and the y at which it is zero."""
    return [
        [
            value_text(grid.x, x),
            *(shown("net_saving", v) for v in row),
            "none in range" if y is None else value_text(grid.y, y),
        ]
        for x, row, y in zip(grid.x_values, grid.saving, grid.neutral, strict=True)
    ]


PSA_HEADER = ["outcome", "label", "deterministic", "mean", "mc_se", "sd", "median", "p2_5", "p97_5"]


def psa_rows(result: Psa) -> list[list[str]]:
    """One row per outcome: the deterministic value and the draws' summary."""
    return [
        [
            s.outcome,
            OUTCOME_LABELS[s.outcome],
            number(s.outcome, result.base[s.outcome]) or "",
            *(number(s.outcome, v) or "" for v in (s.mean, s.se, s.sd, s.median, s.low, s.high)),
        ]
        for s in result.summaries
    ]


PROBABILITY_HEADER = ["event", "probability", "mc_se"]
PROBABILITIES = ("unit_cost_below_baseline", "net_saving_above_zero")


def probability_rows(result: Psa) -> list[list[str]]:
    """The two probabilities a decision rests on, each with its Monte Carlo standard error."""
    return [
        ["unit cost below the baseline's", *_chance(result.cheaper)],
        ["net annual saving above zero", *_chance(result.saving)],
    ]


def _chance(chance: Any) -> list[str]:
    return [fixed(chance.value, RATIO_PLACES), fixed(chance.se, RATIO_PLACES)]


def psa_record(result: Psa) -> dict[str, Any]:
    """The PSA as one JSON document."""
    return {
        **head(result.model),
        "draws": result.draws,
        "seed": result.seed,
        "method": method(result.parameters, probabilistic=True),
        "correlation": "not modelled",
        "deterministic": outcomes_record(result.base),
        "outcomes": [dict(zip(PSA_HEADER, row, strict=True)) for row in psa_rows(result)],
        "probabilities": {
            PROBABILITIES[0]: dict(zip(("value", "se"), _chance(result.cheaper), strict=True)),
            PROBABILITIES[1]: dict(zip(("value", "se"), _chance(result.saving), strict=True)),
        },
        "convergence": [
            {"draws": k, "mean_net_saving": number("net_saving", m)} for k, m in result.convergence
        ],
        "parameters": [parameter_record(p) for p in result.parameters],
    }


def draw_rows(result: Psa) -> tuple[list[str], Iterator[list[str]]]:
    """Every draw: its number, each drawn parameter and each outcome (floats as `repr` prints)."""
    names = list(result.samples)
    columns = [result.samples[n] for n in names]

    def rows() -> Iterator[list[str]]:
        for i in range(result.draws):
            yield [str(i + 1), *(repr(c[i]) for c in columns)]

    return ["draw", *names], rows()


def numeric(cell: str) -> bool:
    """Whether a cell of a human table is a number (grouped or not)."""
    try:
        Decimal(cell.replace(",", ""))
    except ArithmeticError:
        return False
    return True


def alignment(section: Section) -> str:
    """One letter per column: `r` where every cell is a number, else `l`."""
    columns = range(len(section.header))
    cells = [[row[i] for row in section.rows] for i in columns]
    return "".join("r" if c and all(numeric(x) for x in c) else "l" for c in cells)


class Section:
    """A part of a report for people: a title, sentences, and a table."""

    def __init__(
        self, title: str, lines: list[str], header: list[str], rows: list[list[str]]
    ) -> None:
        self.title, self.lines, self.header, self.rows = title, lines, header, rows


def _base_line(model: PilotModel, values: Values) -> str:
    parts = [f"{OUTCOME_LABELS[k]} {shown(k, values[k])}" for k in present(values)]
    return f"Base case (every parameter at base, {model.currency} per {model.unit}): " + "; ".join(
        parts
    )


def sensitivity_sections(result: OneWay, grid: Grid | None) -> list[Section]:
    """The one-way analysis (and the grid) for tables and documents."""
    model = result.model
    rows = [
        [
            s.parameter.name,
            human_value(s.parameter, s.parameter.low),
            human_value(s.parameter, s.parameter.high),
            *(shown("net_saving", v) for v in (s.at_low["net_saving"], s.at_high["net_saving"])),
            shown("net_saving", s.swing()),
        ]
        for s in result.swings
    ]
    header = ["parameter", "low", "high", "net saving at low", "at high", "swing"]
    title = f"One-way sensitivity: {model.service.name} ({model.currency})"
    sections = [
        Section(title, [_base_line(model, result.base), *method(result.parameters, False)],
                header, rows),
        _parameters(result.parameters),
    ]  # fmt: skip
    if grid is not None:
        line = (
            f"Net annual saving ({model.currency}) by {grid.x.name} (rows) and {grid.y.name} "
            "(columns), the others at base; the last column is where the saving is zero "
            "(budget-neutral), linear between grid points."
        )
        sections.append(Section("Two-way sensitivity", [line], grid_header(grid), grid_rows(grid)))
    return sections


def psa_sections(result: Psa) -> list[Section]:
    """The PSA for tables and documents."""
    model = result.model
    title = f"Probabilistic sensitivity analysis: {model.service.name} ({model.currency})"
    lines = [
        f"{result.draws:,} draws, seed {result.seed}; amounts in {model.currency} per "
        f"{model.unit} or a year.",
        *method(result.parameters, True),
    ]
    trace = [[f"{k:,}", shown("net_saving", m)] for k, m in result.convergence]
    return [
        Section(title, lines, ["outcome", "base", "mean", "MC s.e.", "median", "2.5%", "97.5%"],
                _psa_shown(result)),
        Section("Probabilities (Monte Carlo standard error)", [], PROBABILITY_HEADER,
                probability_rows(result)),
        Section("Convergence: running mean of the net annual saving", [],
                ["draws", "mean net saving"], trace),
        _parameters(result.parameters),
    ]  # fmt: skip


def _psa_shown(result: Psa) -> list[list[str]]:
    return [
        [
            OUTCOME_LABELS[s.outcome],
            shown(s.outcome, result.base[s.outcome]),
            *(shown(s.outcome, v) for v in (s.mean, s.se, s.median, s.low, s.high)),
        ]
        for s in result.summaries
    ]


def human_value(parameter: Parameter, value: Decimal) -> str:
    """A parameter's value for people: a share to four places, an amount grouped."""
    if parameter.short in SHARES:
        return fixed(value, RATIO_PLACES)
    return grouped(value, WHOLE if abs(value) >= 100 else CENT)


def _parameters(parameters: tuple[Parameter, ...]) -> Section:
    rows = [
        [p.name, *(human_value(p, v) for v in (p.base, p.low, p.high)), p.source]
        for p in parameters
    ]
    line = "Labels of the inputs are in the JSON and CSV reports."
    return Section("Parameters", [line], ["parameter", "base", "low", "high", "distribution"], rows)
