"""Distributions of uncertain inputs, their draws and the summaries of what is drawn.

The statistical core of the sensitivity analyses: one distribution per uncertain input, fitted
from the range a planner gives or named with its parameters, sampled with the standard library's
`random.Random`, and summarised as a mean with its Monte Carlo error, a median, a 95% interval and
the probability of an event.

Determinism: `draw` uses one `random.Random(seed)` and takes the parameters in sorted name order,
`n` draws of one parameter before the next. A fixed input draws no random number. The samplers
used (`betavariate`, `gammavariate`, `lognormvariate`, `normalvariate`, `uniform`, `triangular`)
are pure Python and the same in CPython 3.10 to 3.13, so a seed gives the same draws on each
(the tests pin some). Across operating systems the bits also rest on the C library's `log` and
`exp`, which agree where they round correctly, as the common ones do but C does not promise.
`normalvariate` is used rather than `gauss`, which keeps a second value between calls (so one
parameter's draws would hand a value to the next) and needs `cos` and `sin` besides `log`.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Literal, Protocol, SupportsFloat

# The 97.5% point of the standard normal: a range read as a 95% interval spans 2 * Z_975 sd.
Z_975 = 1.959963984540054

Family = Literal["beta", "gamma", "lognormal"]
FAMILIES: tuple[Family, ...] = ("beta", "gamma", "lognormal")

_EPS = 1e-15  # relative precision at which the incomplete beta and gamma stop
_TINY = 1e-300  # keeps the continued fractions' denominators off zero (Lentz's method)
_MAX_TERMS = 100_000


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


def _number(name: str, value: SupportsFloat) -> float:
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
        return _bisect(lambda x: _beta_cdf(self.alpha, self.beta, x), 0.0, 1.0, p)

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
        while _gamma_cdf(k, high) < p:
            high *= 2
        return _bisect(lambda x: _gamma_cdf(k, x), 0.0, high, p) * self.scale

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


# --- Quantiles of the beta and the gamma: their cumulative distribution, then bisection.


def _bisect(cdf: Callable[[float], float], low: float, high: float, p: float) -> float:
    """The x in [low, high] where the increasing `cdf` crosses p, to the last bit a float has."""
    while True:
        middle = (low + high) / 2
        if middle <= low or middle >= high:
            return middle
        if cdf(middle) < p:
            low = middle
        else:
            high = middle


def _beta_cdf(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta I_x(a, b) for 0 < x < 1 (Numerical Recipes, 3rd ed., 6.4)."""
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The continued fraction converges fast only on the near side of the mean; the far side
    # comes from the symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _off_zero(value: float) -> float:
    return value if abs(value) > _TINY else _TINY


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta, by Lentz's method."""
    c, d = 1.0, 1 / _off_zero(1 - (a + b) * x / (a + 1))
    result = d
    for m in range(1, _MAX_TERMS):
        even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        for term in (even, odd):
            d = 1 / _off_zero(1 + term * d)
            c = _off_zero(1 + term / c)
            result *= d * c
        if abs(d * c - 1) < _EPS:
            break
    return result


def _gamma_cdf(k: float, x: float) -> float:
    """The regularised lower incomplete gamma P(k, x), x > 0 (Numerical Recipes, 3rd ed., 6.2)."""
    log_front = k * math.log(x) - x - math.lgamma(k)
    # The series converges fast below k + 1, the continued fraction above.
    if x < k + 1:
        return math.exp(log_front) * _gamma_series(k, x)
    return 1 - math.exp(log_front) * _gamma_fraction(k, x)


def _gamma_series(k: float, x: float) -> float:
    term = total = 1 / k
    for i in range(1, _MAX_TERMS):
        term *= x / (k + i)
        total += term
        if term < total * _EPS:
            break
    return total


def _gamma_fraction(k: float, x: float) -> float:
    b = x + 1 - k
    c, d = 1 / _TINY, 1 / b
    result = d
    for i in range(1, _MAX_TERMS):
        term = -i * (i - k)
        b += 2
        d = 1 / _off_zero(term * d + b)
        c = _off_zero(b + term / c)
        result *= d * c
        if abs(d * c - 1) < _EPS:
            break
    return result


# --- Fitting: from a range read as a 95% interval, and from a pilot file's parameters.


def sd_of_range(low: float, high: float) -> float:
    """The sd of a range read as a 95% normal interval: (high − low) / (2 × 1.96)."""
    return (high - low) / (2 * Z_975)


def fit_range(low: SupportsFloat, high: SupportsFloat, family: Family) -> Distribution:
    """The `family` distribution whose mean is the range's midpoint and sd `sd_of_range`.

    A beta (for a share) needs the range inside [0, 1]; a gamma or a lognormal (for a cost or a
    length) a positive midpoint. A point range is `Fixed`.
    """
    lo, hi = _number("low", low), _number("high", high)
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
    v, f = _number("value", value), _number("spread", fraction)
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
    given = {name: _number(f"{kind}: {name}", value) for name, value in parameters.items()}
    for names, build in forms:
        if set(names) == set(given):
            return build(given)
    wanted = " or ".join(", ".join(names) for names, _ in forms)
    got = ", ".join(sorted(given)) or "none"
    raise DistributionError(f"{kind} takes {wanted}; got {got}")


# --- Drawing and summarising.


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
