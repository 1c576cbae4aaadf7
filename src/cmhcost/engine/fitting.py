"""Fitting distributions: from a range read as a 95% interval (method of moments), from a spread
given to a point input, and from the parameters a pilot file names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import SupportsFloat

from cmhcost.engine.distributions import (
    FAMILIES,
    Z_975,
    Beta,
    Distribution,
    DistributionError,
    Family,
    Fixed,
    Gamma,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    number,
)


def sd_of_range(low: float, high: float) -> float:
    """The sd of a range read as a 95% normal interval: (high − low) / (2 × 1.96)."""
    return (high - low) / (2 * Z_975)


def fit_range(low: SupportsFloat, high: SupportsFloat, family: Family) -> Distribution:
    """The `family` distribution whose mean is the range's midpoint and sd `sd_of_range`.

    A beta (for a share) needs the range inside [0, 1]; a gamma or a lognormal (for a cost or a
    length) a positive midpoint. A point range is `Fixed`.
    """
    lo, hi = number("low", low), number("high", high)
    if lo > hi:
        raise DistributionError(f"the range's low ({lo}) is above its high ({hi})")
    if family == "beta" and not 0 <= lo <= hi <= 1:
        raise DistributionError(f"a share's range must lie within 0 to 1, got {lo} to {hi}")
    if lo == hi:
        return Fixed(lo)
    mean, sd = (lo + hi) / 2, sd_of_range(lo, hi)
    if family == "beta":
        return Beta.from_moments(mean, sd)
    if family == "gamma":
        return Gamma.from_moments(mean, sd)
    if family == "lognormal":
        return LogNormal.from_moments(mean, sd)
    raise DistributionError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")


@dataclass(frozen=True)
class Spread:
    """The range given to a point input by a spread; `narrowed` if a share's had to shrink."""

    low: float
    high: float
    narrowed: bool


def spread(value: SupportsFloat, fraction: SupportsFloat, *, share: bool = False) -> Spread:
    """The range value × (1 − f) to value × (1 + f), to be fitted like a range.

    A share's range is kept inside [0, 1] by narrowing it evenly about the value, so that its
    mean stays the point value the deterministic result uses (cutting only the end that overflows
    would move the mean), and a blanket spread still works for a share near 0 or 1. A share of
    exactly 0 or 1 thus becomes a point. A share outside [0, 1] is refused.
    """
    v, f = number("value", value), number("spread", fraction)
    if not 0 <= f <= 1:
        raise DistributionError(f"spread must be a fraction from 0 to 1 (0.2 for ±20%), got {f}")
    if share and not 0 <= v <= 1:
        raise DistributionError(f"a share must lie within 0 to 1, got {v}")
    half = abs(v) * f
    room = min(v, 1 - v) if share else half
    return Spread(v - min(half, room), v + min(half, room), narrowed=room < half)


# What each kind takes in a pilot file, and how each set of names builds it.
_Builder = Callable[[Mapping[str, float]], Distribution]
_FORMS: dict[str, tuple[tuple[tuple[str, ...], _Builder], ...]] = {
    "beta": ((("alpha", "beta"), lambda q: Beta(q["alpha"], q["beta"])),),
    "gamma": ((("shape", "scale"), lambda q: Gamma(q["shape"], q["scale"])),),
    "lognormal": (
        (("meanlog", "sdlog"), lambda q: LogNormal(q["meanlog"], q["sdlog"])),
        (("mean", "sd"), lambda q: LogNormal.from_moments(q["mean"], q["sd"])),
    ),
    "normal": ((("mean", "sd"), lambda q: Normal(q["mean"], q["sd"])),),
    "uniform": ((("min", "max"), lambda q: Uniform(q["min"], q["max"])),),
    "triangular": ((("min", "mode", "max"), lambda q: Triangular(q["min"], q["mode"], q["max"])),),
    "fixed": ((("value",), lambda q: Fixed(q["value"])),),
}
KINDS = tuple(_FORMS)


def from_parameters(kind: str, parameters: Mapping[str, SupportsFloat]) -> Distribution:
    """The distribution a pilot file names: `kind` is one of `KINDS`, with its parameters.

    beta: alpha, beta; gamma: shape, scale; lognormal: meanlog, sdlog or mean, sd; normal: mean,
    sd; uniform: min, max; triangular: min, mode, max; fixed: value.
    """
    forms = _FORMS.get(kind)
    if forms is None:
        raise DistributionError(
            f"unknown distribution {kind!r}; expected one of {', '.join(KINDS)}"
        )
    given = {name: number(f"{kind}: {name}", value) for name, value in parameters.items()}
    for names, build in forms:
        if set(names) == set(given):
            return build(given)
    wanted = " or ".join(", ".join(names) for names, _ in forms)
    got = ", ".join(sorted(given)) or "none"
    raise DistributionError(f"{kind} takes {wanted}; got {got}")
