"""Monte Carlo over the distributions: draws from one seed, and the summaries of what is drawn.

Determinism: `draw` uses one `random.Random(seed)` and takes the parameters in sorted name order,
`n` draws of one parameter before the next (see `distributions` for why the bits agree across
Pythons and machines).
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cmhcost.engine.distributions import Distribution


def draw(parameters: Mapping[str, Distribution], n: int, seed: int) -> dict[str, list[float]]:
    """`n` draws of every parameter from one `random.Random(seed)`, in sorted name order.

    The order makes the draws independent of how the parameters were listed; a parameter added,
    removed or refitted changes the draws of those after it in that order.
    """
    rng = random.Random(seed)
    return {name: parameters[name].sample(rng, n) for name in sorted(parameters)}


@dataclass(frozen=True)
class Summary:
    """What the draws of one output say.

    `low`, `median` and `high` are the 2.5%, 50% and 97.5% percentiles by linear interpolation
    between order statistics (`statistics.quantiles(method="inclusive")`, R's type 7, NumPy's
    default). `se` is the Monte Carlo standard error of the mean, sd / √n.
    """

    n: int
    mean: float
    se: float
    sd: float
    median: float
    low: float
    high: float


def summarise(draws: Sequence[float]) -> Summary:
    """The mean, its Monte Carlo error, the sd, the median and the 95% interval of `draws`."""
    n = len(draws)
    if n < 2:
        raise ValueError(f"a summary needs at least two draws, got {n}")
    mean = statistics.fmean(draws)
    # fsum rounds once, so the sd is the same on every platform; statistics.stdev is exact but
    # slow on 100 000 draws in the Pythons before 3.12.
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in draws) / (n - 1))
    cuts = statistics.quantiles(draws, n=40, method="inclusive")
    return Summary(n, mean, sd / math.sqrt(n), sd, cuts[19], cuts[0], cuts[38])


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate and its standard error."""

    value: float
    se: float


def probability(draws: Sequence[float], event: Callable[[float], bool]) -> Estimate:
    """The share p of draws for which `event` holds, with its standard error √(p(1 − p)/n).

    The error is zero when p is 0 or 1: then it only says that no draw fell on the other side.
    """
    n = len(draws)
    if n == 0:
        raise ValueError("a probability needs at least one draw")
    p = sum(1 for x in draws if event(x)) / n
    return Estimate(p, math.sqrt(p * (1 - p) / n))


def running_mean(draws: Sequence[float], checkpoints: int = 20) -> list[tuple[int, float]]:
    """The mean of the first k draws at `checkpoints` evenly spaced k, the last being all.

    A mean still drifting at the last checkpoints says more draws are needed.
    """
    if checkpoints < 1:
        raise ValueError(f"checkpoints must be one or more, got {checkpoints}")
    n = len(draws)
    if n == 0:
        raise ValueError("a running mean needs at least one draw")
    counts = dict.fromkeys(max(1, n * i // checkpoints) for i in range(1, checkpoints + 1))
    return [(k, statistics.fmean(draws[:k])) for k in counts]
