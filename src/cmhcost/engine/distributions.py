"""Distributions of uncertain inputs: their kinds, samplers, quantiles and descriptions.

The statistical core of the sensitivity analyses, one distribution per uncertain input, sampled
with the standard library's `random.Random`; `fitting` makes them from ranges and pilot files,
`montecarlo` draws and summarises. The samplers used (`betavariate`, `gammavariate`,
`lognormvariate`, `normalvariate`, `uniform`, `triangular`) are pure Python and the same in
CPython 3.10 to 3.13, so a seed gives the same draws on each (the tests pin some). Across
operating systems the bits also rest on the C library's `log` and `exp`, which agree where they
round correctly, as the common ones do but C does not promise. `normalvariate` is used rather
than `gauss`, which keeps a second value between calls (so one parameter's draws would hand a
value to the next) and needs `cos` and `sin` besides `log`.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass
from itertools import repeat
from typing import Literal, Protocol, SupportsFloat

from cmhcost.engine.special import beta_cdf, bisect, gamma_cdf

# The 97.5% point of the standard normal: a range read as a 95% interval spans 2 * Z_975 sd.
Z_975 = 1.959963984540054

Family = Literal["beta", "gamma", "lognormal"]
FAMILIES: tuple[Family, ...] = ("beta", "gamma", "lognormal")


class DistributionError(ValueError):
    """A distribution or a fit that cannot be made, with the parameter at fault named."""


class Distribution(Protocol):
    """What every kind of distribution offers."""

    @property
    def mean(self) -> float:
        """The expected value."""
        ...

    @property
    def sd(self) -> float:
        """The standard deviation."""
        ...

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """`n` draws, taken from `rng` in turn."""
        ...

    def quantile(self, p: float) -> float:
        """The value below which a share `p` of the distribution lies, for 0 < p < 1."""
        ...

    def describe(self) -> str:
        """The kind and its parameters, for a report."""
        ...


def number(name: str, value: SupportsFloat) -> float:
    """A finite float from a number read from a file or the command line."""
    if isinstance(value, bool):
        raise DistributionError(f"{name} must be a number, not {value}")
    number = float(value)
    if not math.isfinite(number):
        raise DistributionError(f"{name} must be a finite number, got {number}")
    return number


def _positive(kind: str, name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise DistributionError(f"{kind}: {name} must be a positive number, got {value}")


def _finite(kind: str, name: str, value: float) -> None:
    if not math.isfinite(value):
        raise DistributionError(f"{kind}: {name} must be a finite number, got {value}")


def _check_n(n: int) -> None:
    if n < 0:
        raise ValueError(f"the number of draws must be zero or more, got {n}")


def _check_p(p: float) -> None:
    if not 0 < p < 1:
        raise DistributionError(f"a quantile needs 0 < p < 1, got {p}")


def _g(x: float) -> str:
    return format(x, ".4g")


@dataclass(frozen=True)
class Beta:
    """Beta(α, β) on [0, 1]: for a share such as occupancy or substitution."""

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        _positive("beta", "alpha", self.alpha)
        _positive("beta", "beta", self.beta)

    @classmethod
    def from_moments(cls, mean: float, sd: float) -> Beta:
        """The beta with this mean and sd (method of moments)."""
        if not 0 < mean < 1:
            raise DistributionError(f"beta: mean must lie strictly between 0 and 1, got {mean}")
        _positive("beta", "sd", sd)
        room = mean * (1 - mean)
        if sd * sd >= room:
            raise DistributionError(
                f"beta: sd {sd} is too wide for mean {mean}: the variance {sd * sd:.6g} "
                f"must be below mean × (1 − mean) = {room:.6g}"
            )
        common = room / (sd * sd) - 1
        return cls(mean * common, (1 - mean) * common)

    @property
    def mean(self) -> float:
        """α / (α + β)."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def sd(self) -> float:
        """√(αβ / ((α + β)²(α + β + 1)))."""
        a, b = self.alpha, self.beta
        return math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """`n` draws with `rng.betavariate`."""
        _check_n(n)
        draw, a, b = rng.betavariate, self.alpha, self.beta
        return [draw(a, b) for _ in repeat(None, n)]

    def quantile(self, p: float) -> float:
        """Numerical: bisection on the regularised incomplete beta (a continued fraction)."""
        _check_p(p)
        return bisect(lambda x: beta_cdf(self.alpha, self.beta, x), 0.0, 1.0, p)

    def describe(self) -> str:
        """For example `beta(α=23.26, β=7.753)`."""
        return f"beta(α={_g(self.alpha)}, β={_g(self.beta)})"


@dataclass(frozen=True)
class Gamma:
    """Gamma with a shape k and a scale θ: for a cost or a length, which cannot be negative."""

    shape: float
    scale: float

    def __post_init__(self) -> None:
        _positive("gamma", "shape", self.shape)
        _positive("gamma", "scale", self.scale)

    @classmethod
    def from_moments(cls, mean: float, sd: float) -> Gamma:
        """The gamma with this mean and sd: shape = m²/s², scale = s²/m."""
        _positive("gamma", "mean", mean)
        _positive("gamma", "sd", sd)
        return cls(mean * mean / (sd * sd), sd * sd / mean)

    @property
    def mean(self) -> float:
        """kθ."""
        return self.shape * self.scale

    @property
    def sd(self) -> float:
        """√k θ."""
        return math.sqrt(self.shape) * self.scale

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """`n` draws with `rng.gammavariate`."""
        _check_n(n)
        draw, k, theta = rng.gammavariate, self.shape, self.scale
        return [draw(k, theta) for _ in repeat(None, n)]

    def quantile(self, p: float) -> float:
        """Numerical: bisection on the regularised incomplete gamma (series, continued fraction)."""
        _check_p(p)
        k = self.shape
        high = k + 10 * math.sqrt(k) + 10
        while gamma_cdf(k, high) < p:
            high *= 2
        return bisect(lambda x: gamma_cdf(k, x), 0.0, high, p) * self.scale

    def describe(self) -> str:
        """For example `gamma(k=34.57, θ=52.06)`."""
        return f"gamma(k={_g(self.shape)}, θ={_g(self.scale)})"


@dataclass(frozen=True)
class LogNormal:
    """A variable whose logarithm is normal with mean `meanlog` (μ) and sd `sdlog` (σ)."""

    meanlog: float
    sdlog: float

    def __post_init__(self) -> None:
        _finite("lognormal", "meanlog", self.meanlog)
        _positive("lognormal", "sdlog", self.sdlog)

    @classmethod
    def from_moments(cls, mean: float, sd: float) -> LogNormal:
        """The lognormal with this mean and sd: σ² = ln(1 + s²/m²), μ = ln m − σ²/2."""
        _positive("lognormal", "mean", mean)
        _positive("lognormal", "sd", sd)
        variance = math.log1p((sd / mean) ** 2)
        return cls(math.log(mean) - variance / 2, math.sqrt(variance))

    @property
    def mean(self) -> float:
        """exp(μ + σ²/2)."""
        return math.exp(self.meanlog + self.sdlog**2 / 2)

    @property
    def sd(self) -> float:
        """The mean × √(exp(σ²) − 1)."""
        return self.mean * math.sqrt(math.expm1(self.sdlog**2))

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """`n` draws with `rng.lognormvariate`."""
        _check_n(n)
        draw, mu, sigma = rng.lognormvariate, self.meanlog, self.sdlog
        return [draw(mu, sigma) for _ in repeat(None, n)]

    def quantile(self, p: float) -> float:
        """exp of the normal quantile (closed form, `statistics.NormalDist`)."""
        _check_p(p)
        return math.exp(statistics.NormalDist(self.meanlog, self.sdlog).inv_cdf(p))

    def describe(self) -> str:
        """For example `lognormal(μ=7.48, σ=0.169)`."""
        return f"lognormal(μ={_g(self.meanlog)}, σ={_g(self.sdlog)})"


@dataclass(frozen=True)
class Normal:
    """A normal with a mean and an sd: for a quantity that may fall either side of zero."""

    mean: float
    sd: float

    def __post_init__(self) -> None:
        _finite("normal", "mean", self.mean)
        _positive("normal", "sd", self.sd)

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """`n` draws with `rng.normalvariate`."""
        _check_n(n)
        draw, mu, sigma = rng.normalvariate, self.mean, self.sd
        return [draw(mu, sigma) for _ in repeat(None, n)]

    def quantile(self, p: float) -> float:
        """Closed form, `statistics.NormalDist.inv_cdf`."""
        _check_p(p)
        return statistics.NormalDist(self.mean, self.sd).inv_cdf(p)

    def describe(self) -> str:
        """For example `normal(mean=0.5, sd=0.1)`."""
        return f"normal(mean={_g(self.mean)}, sd={_g(self.sd)})"


@dataclass(frozen=True)
class Uniform:
    """Every value from `low` to `high` equally likely (the file's min and max)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        _finite("uniform", "min", self.low)
        _finite("uniform", "max", self.high)
        if not self.low < self.high:
            raise DistributionError(
                f"uniform: min ({self.low}) must be below max ({self.high}); "
                "a single value is `fixed`"
            )

    @property
    def mean(self) -> float:
        """The midpoint."""
        return (self.low + self.high) / 2

    @property
    def sd(self) -> float:
        """The width / √12."""
        return (self.high - self.low) / math.sqrt(12)

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """`n` draws with `rng.uniform`."""
        _check_n(n)
        draw, low, high = rng.uniform, self.low, self.high
        return [draw(low, high) for _ in repeat(None, n)]

    def quantile(self, p: float) -> float:
        """Closed form: low + p × width."""
        _check_p(p)
        return self.low + p * (self.high - self.low)

    def describe(self) -> str:
        """For example `uniform(min=1, max=2)`."""
        return f"uniform(min={_g(self.low)}, max={_g(self.high)})"


@dataclass(frozen=True)
class Triangular:
    """A triangle from `low` up to `mode` and down to `high` (the file's min, mode and max)."""

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        for name, value in (("min", self.low), ("mode", self.mode), ("max", self.high)):
            _finite("triangular", name, value)
        if not self.low < self.high:
            raise DistributionError(
                f"triangular: min ({self.low}) must be below max ({self.high}); "
                "a single value is `fixed`"
            )
        if not self.low <= self.mode <= self.high:
            raise DistributionError(
                f"triangular: mode ({self.mode}) must lie between min ({self.low}) "
                f"and max ({self.high})"
            )

    @property
    def mean(self) -> float:
        """(min + mode + max) / 3."""
        return (self.low + self.mode + self.high) / 3

    @property
    def sd(self) -> float:
        """√((a² + b² + c² − ab − ac − bc) / 18)."""
        a, c, b = self.low, self.mode, self.high
        return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """`n` draws with `rng.triangular` (whose arguments are low, high, mode)."""
        _check_n(n)
        draw, low, high, mode = rng.triangular, self.low, self.high, self.mode
        return [draw(low, high, mode) for _ in repeat(None, n)]

    def quantile(self, p: float) -> float:
        """Closed form, on the rising or the falling side of the mode."""
        _check_p(p)
        low, mode, high = self.low, self.mode, self.high
        width = high - low
        if p * width < mode - low:
            return low + math.sqrt(p * width * (mode - low))
        return high - math.sqrt((1 - p) * width * (high - mode))

    def describe(self) -> str:
        """For example `triangular(min=1, mode=2, max=4)`."""
        return f"triangular(min={_g(self.low)}, mode={_g(self.mode)}, max={_g(self.high)})"


@dataclass(frozen=True)
class Fixed:
    """A value known for certain: every draw is the value, and no random number is used."""

    value: float

    def __post_init__(self) -> None:
        _finite("fixed", "value", self.value)

    @property
    def mean(self) -> float:
        """The value."""
        return self.value

    @property
    def sd(self) -> float:
        """Zero."""
        return 0.0

    def sample(self, rng: random.Random, n: int) -> list[float]:
        """The value `n` times; `rng` is left as it was."""
        _check_n(n)
        return [self.value] * n

    def quantile(self, p: float) -> float:
        """The value, whatever `p`."""
        _check_p(p)
        return self.value

    def describe(self) -> str:
        """For example `fixed(0.85)`."""
        return f"fixed({_g(self.value)})"
