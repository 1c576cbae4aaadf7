"""Probabilistic sensitivity analysis of a pilot: every parameter drawn, the pilot's arithmetic run.

The draws come from `montecarlo.draw` (one seed, parameters in sorted name order); the pilot's
own arithmetic (`pilot_model.outcomes`) runs on them a chunk at a time, each drawn input a
`Column` of floats (see `columns`); a chunk whose draws take different branches of it (a capital
line replaced within the horizon in some draws only) is halved until each part shares its
branches, and a few draws are evaluated one by one in `Decimal`. Summaries are computed on the floats and given as `Decimal`; a PSA in
which nothing varies is the deterministic pilot, exactly. Parameters are drawn independently:
correlation between them is not modelled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from pydantic import ValidationError

from cmhcost.domain.errors import CmhcostError
from cmhcost.domain.money import Range
from cmhcost.engine.columns import Column, MixedBranch
from cmhcost.engine.montecarlo import Estimate, draw, probability, running_mean, summarise
from cmhcost.engine.parameters import Parameter
from cmhcost.engine.pilot_model import OUTCOMES, PilotModel, outcomes, with_inputs
from cmhcost.engine.sensitivity import Values, bases, evaluate_at

CHUNK = 5_000  # draws evaluated together; the progress bar moves a chunk at a time
SMALLEST_SPLIT = 16  # fewer draws than this that do not share a branch: one at a time
ZERO = Decimal(0)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Summary:
    """One outcome over the draws: mean and its Monte Carlo error, sd, median, 95% interval."""

    outcome: str
    mean: Decimal
    se: Decimal
    sd: Decimal
    median: Decimal
    low: Decimal  # 2.5% percentile
    high: Decimal  # 97.5% percentile


@dataclass(frozen=True)
class Chance:
    """A probability estimated from the draws, and its Monte Carlo standard error."""

    value: Decimal
    se: Decimal


@dataclass(frozen=True)
class Psa:
    """What `cmhcost psa` reports: summaries, two probabilities, convergence and every draw."""

    model: PilotModel
    parameters: tuple[Parameter, ...]
    draws: int
    seed: int
    base: Values  # the deterministic result, every parameter at its base
    summaries: tuple[Summary, ...]
    cheaper: Chance  # P(unit cost < the baseline's), i.e. P(ratio < 1)
    saving: Chance  # P(net annual saving > 0)
    convergence: tuple[tuple[int, Decimal], ...]  # running mean of the net saving
    samples: dict[str, list[float]]  # each drawn parameter and each outcome, draw by draw


def psa(
    model: PilotModel,
    parameters: tuple[Parameter, ...],
    draws: int,
    seed: int,
    progress: Progress | None = None,
) -> Psa:
    """Draw every varying parameter `draws` times from `seed` and summarise the outcomes."""
    if draws < 2:
        raise CmhcostError(f"a PSA needs at least 2 draws, got {draws}")
    varying = {p.name: p.distribution for p in parameters if p.varies}
    drawn = draw(varying, draws, seed)
    base = bases(parameters)
    found: dict[str, list[float]] = {name: [] for name in OUTCOMES}
    for start in range(0, draws, CHUNK):
        stop = min(draws, start + CHUNK)
        for name, column in _chunk(model, base, drawn, start, stop).items():
            found[name].extend(column)
        if progress is not None:
            progress(stop)
    exact = evaluate_at(model, base)
    present = [name for name in OUTCOMES if exact[name] is not None]
    summaries = tuple(_summary(name, found[name], exact[name], not varying) for name in present)
    ratio, net = exact["ratio"], exact["net_saving"]
    assert ratio is not None and net is not None
    if varying:
        cheaper = _chance(probability(found["ratio"], lambda r: r < 1))
        saving = _chance(probability(found["net_saving"], lambda s: s > 0))
        trace = tuple((k, _decimal(m)) for k, m in running_mean(found["net_saving"]))
    else:
        cheaper, saving = Chance(Decimal(ratio < 1), ZERO), Chance(Decimal(net > 0), ZERO)
        trace = ((draws, net),)
    samples = {**drawn, **{name: found[name] for name in present}}
    return Psa(model, parameters, draws, seed, exact, summaries, cheaper, saving, trace, samples)


def _chunk(
    model: PilotModel,
    base: Mapping[str, Decimal],
    drawn: Mapping[str, list[float]],
    start: int,
    stop: int,
) -> dict[str, list[float]]:
    """The outcomes of draws `start` to `stop` as columns; where the draws take different
    branches of the arithmetic, each half apart, down to a few draws evaluated one by one."""
    values = {k: Range.of(v) for k, v in base.items() if k not in drawn}
    for name, xs in drawn.items():
        column = cast(Decimal, Column(xs[start:stop]))  # stands in for a number (see `columns`)
        values[name] = Range.model_construct(low=column, high=column)
    try:
        result = outcomes(with_inputs(model, values))
    except (MixedBranch, TypeError, ValidationError):  # a branch the draws do not share
        if stop - start <= SMALLEST_SPLIT:
            return _one_by_one(model, base, drawn, start, stop)
        middle = (start + stop) // 2
        first = _chunk(model, base, drawn, start, middle)
        second = _chunk(model, base, drawn, middle, stop)
        return {name: first[name] + second[name] for name in first}
    except ZeroDivisionError as exc:
        raise CmhcostError(f"a draw divides by zero ({exc}): check the distributions") from exc
    return {name: _floats(v, stop - start) for name, v in result.items() if v is not None}


def _one_by_one(
    model: PilotModel,
    base: Mapping[str, Decimal],
    drawn: Mapping[str, list[float]],
    start: int,
    stop: int,
) -> dict[str, list[float]]:
    """The outcomes of draws `start` to `stop`, each in Decimal."""
    found: dict[str, list[float]] = {}
    for i in range(start, stop):
        point = {**base, **{name: _decimal(xs[i]) for name, xs in drawn.items()}}
        try:
            result = evaluate_at(model, point)
        except ZeroDivisionError as exc:
            raise CmhcostError(f"draw {i + 1} divides by zero: check the distributions") from exc
        for name, value in result.items():
            if value is not None:
                found.setdefault(name, []).append(float(value))
    return found


def _floats(value: Range, n: int) -> list[float]:
    low: object = value.low
    if isinstance(low, Column):
        return low.values
    return [float(value.low)] * n  # an outcome no drawn parameter moves


def _summary(name: str, draws: list[float], exact: Decimal | None, fixed: bool) -> Summary:
    if fixed and exact is not None:  # nothing varies: the deterministic pilot, exactly
        return Summary(name, exact, ZERO, ZERO, exact, exact, exact)
    s = summarise(draws)
    return Summary(name, *(_decimal(x) for x in (s.mean, s.se, s.sd, s.median, s.low, s.high)))


def _chance(estimate: Estimate) -> Chance:
    return Chance(_decimal(estimate.value), _decimal(estimate.se))


def _decimal(value: float) -> Decimal:
    """A float as the shortest Decimal that reads back as it (its repr)."""
    return Decimal(repr(value))
