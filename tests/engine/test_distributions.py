"""Distributions for the sensitivity analyses: fits worked by hand, draws checked by statistics."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from decimal import Decimal
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmhcost.engine.distributions import (
    KINDS,
    Beta,
    Distribution,
    DistributionError,
    Fixed,
    Gamma,
    LogNormal,
    Normal,
    Spread,
    Triangular,
    Uniform,
    draw,
    fit_range,
    from_parameters,
    probability,
    running_mean,
    sd_of_range,
    spread,
    summarise,
)

N = 100_000
Z = 1.959963984540054
# (2 × 1.959963984540054)² = 3.919927969080108² = 15.3658352827765, the factor every fit below
# divides a squared width by: s² = width² / 15.3658352827765.
TWO_Z_SQUARED = 15.3658352827765


def binomial_se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def share_at_or_below(draws: list[float], q: float) -> float:
    return probability(draws, lambda x: x <= q).value


# --- Fits worked by hand.


def test_a_share_range_fits_a_beta_by_the_method_of_moments() -> None:
    # Occupancy 0.6-0.9: m = 0.75, s² = 0.3² / 15.3658352827765 = 0.09 / 15.3658352827765.
    # m(1 − m) / s² − 1 = 0.1875 × 15.3658352827765 / 0.09 − 1 = (25/12) × 15.3658352827765 − 1
    # = 32.0121568391177 − 1 = 31.0121568391177.
    # α = 0.75 × 31.0121568391177 = 23.2591176293383; β = 0.25 × 31.0121568391177 = 7.7530392097794.
    fitted = fit_range(0.6, 0.9, "beta")
    assert isinstance(fitted, Beta)
    assert fitted.alpha == pytest.approx(23.2591176293383, abs=1e-9)
    assert fitted.beta == pytest.approx(7.7530392097794, abs=1e-9)
    assert fitted.mean == pytest.approx(0.75, abs=1e-12)
    assert fitted.sd == pytest.approx(0.3 / (2 * Z), abs=1e-12)


def test_a_cost_range_fits_a_gamma_by_the_method_of_moments() -> None:
    # A cost of 1200-2400: m = 1800, s² = 1200² / 15.3658352827765.
    # shape = m² / s² = 1800² × 15.3658352827765 / 1200² = 2.25 × 15.3658352827765
    #       = 34.5731293862471.
    # scale = s² / m = 1200² / (15.3658352827765 × 1800) = 800 / 15.3658352827765
    #       = 52.0635543254011.
    fitted = fit_range(1200, 2400, "gamma")
    assert isinstance(fitted, Gamma)
    assert fitted.shape == pytest.approx(34.5731293862471, abs=1e-9)
    assert fitted.scale == pytest.approx(52.0635543254011, abs=1e-9)


def test_a_cost_range_fits_a_lognormal_with_its_mean_and_sd() -> None:
    # s² / m² = (1200² / 15.3658352827765) / 1800² = 4 / (9 × 15.3658352827765)
    #         = 0.0289241968474451.
    # σ² = ln(1.0289241968474451) = 0.0285137873234573, σ = 0.168860259751835;
    # μ = ln 1800 − σ² / 2 = 7.49554194388426 − 0.0142568936617287 = 7.48128505022253.
    fitted = fit_range(Decimal("1200"), Decimal("2400"), "lognormal")
    assert isinstance(fitted, LogNormal)
    assert fitted.sdlog == pytest.approx(0.168860259751835, abs=1e-12)
    assert fitted.meanlog == pytest.approx(7.48128505022253, abs=1e-12)
    assert fitted.mean == pytest.approx(1800, rel=1e-12)
    assert fitted.sd == pytest.approx(1200 / (2 * Z), rel=1e-12)


@pytest.mark.parametrize("family", ["beta", "gamma", "lognormal"])
def test_a_point_range_is_fixed(family: str) -> None:
    assert fit_range(0.8, 0.8, family) == Fixed(0.8)  # type: ignore[arg-type]


def test_the_sd_of_a_range_reads_it_as_a_95_percent_interval() -> None:
    assert sd_of_range(-1.959963984540054, 1.959963984540054) == pytest.approx(1.0, abs=1e-15)


# --- Draws against the fitted distributions.

FITS = [(0.6, 0.9, "beta"), (1200.0, 2400.0, "gamma")]


@pytest.mark.parametrize(("low", "high", "family"), FITS)
def test_fitted_draws_reproduce_the_mean(low: float, high: float, family: str) -> None:
    fitted = fit_range(low, high, family)  # type: ignore[arg-type]
    summary = summarise(fitted.sample(random.Random(11), N))
    assert abs(summary.mean - (low + high) / 2) < 4 * summary.se
    assert summary.se == pytest.approx(fitted.sd / math.sqrt(N), rel=0.02)


@pytest.mark.parametrize(("low", "high", "family", "skew"), [(*FITS[0], -1), (*FITS[1], +1)])
def test_fitted_draws_reproduce_the_interval_roughly(
    low: float, high: float, family: str, skew: int
) -> None:
    fitted = fit_range(low, high, family)  # type: ignore[arg-type]
    draws = fitted.sample(random.Random(12), N)
    # The draws follow the fitted distribution: the share under its exact 2.5% and 97.5% points
    # is within 4 binomial standard errors (4 × 0.00049 here) of 2.5% and 97.5%.
    for p in (0.025, 0.975):
        below = share_at_or_below(draws, fitted.quantile(p))
        assert abs(below - p) < 4 * binomial_se(p, N)
    # A moment fit matches the mean and sd, not the ends: the beta of 0.6-0.9 is skewed left and
    # the gamma right, and both of its 95% points move that way. Cornish-Fisher puts the move at
    # skewness × (z² − 1) × sd / 6 (beta −0.0144, gamma +49.3; exact −0.0136/−0.0168 and
    # +50.7/+47.7). Assert that within a quarter, and the empirical ends within 6% of the width.
    shift = _skewness(fitted) * (Z * Z - 1) * fitted.sd / 6
    assert skew * shift > 0
    summary = summarise(draws)
    for end, p, empirical in ((low, 0.025, summary.low), (high, 0.975, summary.high)):
        assert fitted.quantile(p) - end == pytest.approx(shift, rel=0.25)
        assert abs(empirical - end) < 0.06 * (high - low)


def _skewness(fitted: Distribution) -> float:
    if isinstance(fitted, Beta):
        a, b = fitted.alpha, fitted.beta
        return 2 * (b - a) * math.sqrt(a + b + 1) / ((a + b + 2) * math.sqrt(a * b))
    assert isinstance(fitted, Gamma)
    return 2 / math.sqrt(fitted.shape)


EVERY_KIND: list[Distribution] = [
    Beta(2.0, 5.0),
    Beta(0.5, 0.5),
    Gamma(34.5, 52.0),
    Gamma(0.5, 2.0),
    Gamma(1.0, 3.0),
    LogNormal(7.5, 0.3),
    Normal(-2.0, 3.0),
    Uniform(10.0, 20.0),
    Triangular(1.0, 1.5, 4.0),
]


@pytest.mark.parametrize("dist", EVERY_KIND, ids=lambda d: d.describe())
def test_each_sampler_agrees_with_its_mean_and_quantiles(dist: Distribution) -> None:
    n = 20_000
    draws = dist.sample(random.Random(13), n)
    assert len(draws) == n
    assert abs(summarise(draws).mean - dist.mean) < 4 * dist.sd / math.sqrt(n)
    for p in (0.1, 0.5, 0.9):
        below = share_at_or_below(draws, dist.quantile(p))
        assert abs(below - p) < 4 * binomial_se(p, n)


def test_the_probability_of_an_event_and_its_standard_error() -> None:
    draws = Uniform(0.0, 1.0).sample(random.Random(14), N)
    estimate = probability(draws, lambda x: x > 0.3)  # exactly 0.7 for a uniform(0, 1)
    assert estimate.se == pytest.approx(binomial_se(0.7, N), rel=0.01)
    assert abs(estimate.value - 0.7) < 4 * estimate.se
    # By hand: 2 of 4 draws above 2.5, p = 0.5, se = √(0.5 × 0.5 / 4) = 0.25.
    by_hand = probability([1.0, 2.0, 3.0, 4.0], lambda x: x > 2.5)
    assert (by_hand.value, by_hand.se) == (0.5, 0.25)
    assert probability([1.0, 2.0], lambda x: x > 0).se == 0.0


# --- Summaries worked by hand.


def test_a_summary_uses_linear_interpolation_between_order_statistics() -> None:
    # Sorted 1..5: the p point lies at position p × (5 − 1) from the first, so 2.5% at 0.1
    # (1 + 0.1 = 1.1), 97.5% at 3.9 (4.9), the median at 2 (3). Mean 3; sd = √(10 / 4) = 1.5811.
    summary = summarise([5.0, 1.0, 4.0, 2.0, 3.0])
    assert (summary.low, summary.median, summary.high) == pytest.approx((1.1, 3.0, 4.9))
    assert (summary.n, summary.mean) == (5, 3.0)
    assert summary.sd == pytest.approx(math.sqrt(2.5))
    assert summary.se == pytest.approx(math.sqrt(2.5) / math.sqrt(5))


def test_a_running_mean_at_checkpoints() -> None:
    assert running_mean([2.0, 4.0, 6.0, 8.0], checkpoints=2) == [(2, 3.0), (4, 5.0)]
    assert running_mean([1.0, 3.0], checkpoints=5) == [(1, 1.0), (2, 2.0)]
    checks = running_mean([float(i) for i in range(1, 101)])
    assert [k for k, _ in checks] == list(range(5, 101, 5))
    assert checks[-1] == (100, 50.5)


def test_the_running_mean_of_many_draws_settles() -> None:
    draws = Gamma(34.5, 52.0).sample(random.Random(15), N)
    means = [mean for _, mean in running_mean(draws)]
    se = Gamma(34.5, 52.0).sd / math.sqrt(N)
    assert all(abs(mean - means[-1]) < 10 * se for mean in means[-5:])


# --- Determinism.

PILOT: dict[str, Distribution] = {
    "occupancy": Beta(23.25, 7.75),
    "cost": Gamma(34.5, 52.0),
    "small": Gamma(0.5, 2.0),
    "stay": LogNormal(3.0, 0.2),
    "effect": Normal(0.0, 1.0),
    "u": Uniform(1.0, 2.0),
    "t": Triangular(1.0, 1.5, 3.0),
    "f": Fixed(7.0),
}


def test_a_seed_gives_the_same_draws_whatever_the_order_of_the_parameters() -> None:
    first = draw(PILOT, 1000, seed=42)
    assert draw(dict(reversed(PILOT.items())), 1000, seed=42) == first
    assert list(first) == sorted(PILOT)
    assert draw(PILOT, 1000, seed=43) != first


def test_draws_go_parameter_by_parameter_in_name_order() -> None:
    rng = random.Random(42)
    by_hand = {name: PILOT[name].sample(rng, 50) for name in sorted(PILOT)}
    assert draw(PILOT, 50, seed=42) == by_hand


def test_the_draws_of_a_seed_are_pinned() -> None:
    # The same in CPython 3.10, 3.11, 3.12 and 3.13: a change here changes every published result.
    assert draw(PILOT, 3, seed=20240601) == {
        "cost": [1405.6679017019014, 2099.0347793445403, 2220.466142351905],
        "effect": [-0.9037097870433464, -0.2267081579536923, 1.2987348132170315],
        "f": [7.0, 7.0, 7.0],
        "occupancy": [0.6156040744816335, 0.557349927101954, 0.7239499417060439],
        "small": [0.8899225461296073, 0.007117897499814404, 0.19385030196055608],
        "stay": [18.107711167803334, 24.08910872068459, 26.02339414847393],
        "t": [2.7057490100295007, 1.382096473742202, 1.532596955473825],
        "u": [1.2514882185573097, 1.431769853618686, 1.0178866391243944],
    }


def test_a_fixed_value_is_drawn_n_times_without_using_the_generator() -> None:
    rng = random.Random(1)
    state = rng.getstate()
    assert Fixed(850.0).sample(rng, 4) == [850.0] * 4
    assert rng.getstate() == state
    assert Fixed(850.0).sample(rng, 0) == []
    assert (Fixed(3.0).mean, Fixed(3.0).sd, Fixed(3.0).quantile(0.9)) == (3.0, 0.0, 3.0)


# --- Quantiles against closed forms.


def test_closed_form_quantiles() -> None:
    assert Uniform(10.0, 20.0).quantile(0.25) == 12.5
    # Triangular(0, 1, 4): F(1) = 1/4; F(x) = x² / 4 below, 1 − (4 − x)² / 12 above.
    assert Triangular(0.0, 1.0, 4.0).quantile(0.09) == pytest.approx(0.6)
    assert Triangular(0.0, 1.0, 4.0).quantile(0.25) == pytest.approx(1.0)
    assert Triangular(0.0, 1.0, 4.0).quantile(1 - 9 / 12) == pytest.approx(1.0)
    assert Triangular(0.0, 1.0, 4.0).quantile(1 - 4 / 12) == pytest.approx(2.0)
    assert Normal(5.0, 2.0).quantile(0.975) == pytest.approx(5 + 2 * Z, abs=1e-12)
    assert LogNormal(1.0, 0.5).quantile(0.5) == pytest.approx(math.e, abs=1e-12)


@pytest.mark.parametrize(
    ("dist", "p", "expected"),
    [
        (Beta(0.5, 0.5), 0.3, math.sin(math.pi * 0.3 / 2) ** 2),  # arcsine: F = (2/π) asin √x
        (Beta(3.0, 1.0), 0.3, 0.3 ** (1 / 3)),  # F = x³
        (Beta(1.0, 4.0), 0.3, 1 - 0.7**0.25),  # F = 1 − (1 − x)⁴
        (Beta(2.0, 2.0), 0.5, 0.5),
        (Gamma(1.0, 3.0), 0.4, -3 * math.log(0.6)),  # exponential
        (Gamma(0.5, 2.0), 0.975, NormalDist().inv_cdf(0.9875) ** 2),  # chi-squared(1) = Z²
        (Gamma(5.0, 2.0), 0.025, 3.246972780),  # chi-squared(10), from the printed tables
        (Gamma(5.0, 2.0), 0.975, 20.48317735),
    ],
    ids=str,
)
def test_numerical_quantiles_of_the_beta_and_gamma(
    dist: Distribution, p: float, expected: float
) -> None:
    assert dist.quantile(p) == pytest.approx(expected, rel=1e-9)


def test_a_quantile_far_in_the_gamma_s_tail() -> None:
    # Exponential: 1 − p = 1e-12 (near enough). The cdf there is 1 − Q with Q ≈ 1e-12, so only
    # about four of Q's digits survive the subtraction: the quantile is good to about 1e-5.
    p = 1 - 1e-12
    assert Gamma(1.0, 3.0).quantile(p) == pytest.approx(-3 * math.log(1 - p), rel=1e-5)


@given(
    a=st.floats(0.05, 500),
    b=st.floats(0.05, 500),
    p=st.floats(0.001, 0.999),
)
def test_the_beta_quantile_mirrors_itself(a: float, b: float, p: float) -> None:
    # X ~ beta(a, b) ⇔ 1 − X ~ beta(b, a): the two sides of the continued fraction must agree.
    assert Beta(a, b).quantile(p) == pytest.approx(1 - Beta(b, a).quantile(1 - p), abs=1e-9)


@given(
    middle=st.floats(0.001, 0.999),
    width=st.floats(1e-6, 1.0),
    family=st.sampled_from(["beta", "gamma", "lognormal"]),
)
def test_a_fit_keeps_the_midpoint_and_the_sd_of_any_valid_range(
    middle: float, width: float, family: str
) -> None:
    low, high = middle - width / 2, middle + width / 2
    if family == "beta":
        low, high = max(low, 0.0), min(high, 1.0)
    fitted = fit_range(low, high, family)  # type: ignore[arg-type]
    assert fitted.mean == pytest.approx((low + high) / 2, rel=1e-9)
    assert fitted.sd == pytest.approx(sd_of_range(low, high), rel=1e-9)


# --- Parameters as a pilot file names them, and --spread.


@pytest.mark.parametrize(
    ("kind", "parameters", "expected"),
    [
        ("beta", {"alpha": 2, "beta": 5}, Beta(2.0, 5.0)),
        ("gamma", {"shape": 2, "scale": 3.5}, Gamma(2.0, 3.5)),
        ("lognormal", {"meanlog": 1, "sdlog": 0.5}, LogNormal(1.0, 0.5)),
        ("normal", {"mean": -1, "sd": 2}, Normal(-1.0, 2.0)),
        ("uniform", {"min": 1, "max": 2}, Uniform(1.0, 2.0)),
        ("triangular", {"min": 1, "mode": 1, "max": 2}, Triangular(1.0, 1.0, 2.0)),
        ("fixed", {"value": Decimal("0.85")}, Fixed(0.85)),
    ],
)
def test_a_pilot_file_names_a_distribution_and_its_parameters(
    kind: str, parameters: dict[str, float], expected: Distribution
) -> None:
    assert from_parameters(kind, parameters) == expected


def test_every_kind_can_be_named() -> None:
    assert KINDS == ("beta", "gamma", "lognormal", "normal", "uniform", "triangular", "fixed")


def test_a_lognormal_named_by_its_mean_and_sd() -> None:
    fitted = from_parameters("lognormal", {"mean": 1800, "sd": 300})
    assert (fitted.mean, fitted.sd) == pytest.approx((1800, 300), rel=1e-12)


def test_descriptions() -> None:
    assert fit_range(0.6, 0.9, "beta").describe() == "beta(α=23.26, β=7.753)"
    assert fit_range(1200, 2400, "gamma").describe() == "gamma(k=34.57, θ=52.06)"
    assert LogNormal(7.481, 0.1689).describe() == "lognormal(μ=7.481, σ=0.1689)"
    assert Normal(0.5, 0.1).describe() == "normal(mean=0.5, sd=0.1)"
    assert Uniform(1.0, 2.0).describe() == "uniform(min=1, max=2)"
    assert Triangular(1.0, 2.0, 4.0).describe() == "triangular(min=1, mode=2, max=4)"
    assert Fixed(0.85).describe() == "fixed(0.85)"


def test_a_spread_gives_a_point_a_range() -> None:
    cost = spread(Decimal("1000"), 0.2)
    assert (cost.low, cost.high, cost.narrowed) == pytest.approx((800, 1200, False))
    assert (spread(-50.0, 0.1).low, spread(-50.0, 0.1).high) == pytest.approx((-55, -45))
    assert spread(0.5, 0.2, share=True) == spread(0.5, 0.2)
    assert spread(7.0, 0.0) == Spread(7.0, 7.0, narrowed=False)
    assert fit_range(spread(7.0, 0).low, spread(7.0, 0).high, "gamma") == Fixed(7.0)


def test_a_share_s_spread_narrows_evenly_to_stay_within_0_and_1() -> None:
    # 0.9 ± 20% would be 0.72-1.08; narrowed to 0.9 ± 0.1, so the mean stays 0.9.
    occupancy = spread(0.9, 0.2, share=True)
    assert (occupancy.low, occupancy.high, occupancy.narrowed) == pytest.approx((0.8, 1.0, True))
    assert fit_range(occupancy.low, occupancy.high, "beta").mean == pytest.approx(0.9)
    assert (spread(0.05, 0.5, share=True).low, spread(0.05, 0.5, share=True).narrowed) == (
        0.025,
        False,
    )
    full = spread(1.0, 0.2, share=True)
    assert fit_range(full.low, full.high, "beta") == Fixed(1.0)


# --- What cannot be.

ERRORS: list[tuple[Callable[[], object], str]] = [
    (lambda: Beta(0.0, 1.0), r"beta: alpha must be a positive number, got 0"),
    (lambda: Beta(1.0, -2.0), r"beta: beta must be a positive number, got -2"),
    (lambda: Beta(math.nan, 1.0), r"beta: alpha must be a positive number, got nan"),
    (lambda: Gamma(-1.0, 1.0), r"gamma: shape must be a positive number"),
    (lambda: Gamma(1.0, 0.0), r"gamma: scale must be a positive number"),
    (lambda: LogNormal(math.inf, 1.0), r"lognormal: meanlog must be a finite number, got inf"),
    (lambda: LogNormal(0.0, 0.0), r"lognormal: sdlog must be a positive number"),
    (lambda: Normal(math.nan, 1.0), r"normal: mean must be a finite number"),
    (lambda: Normal(0.0, -1.0), r"normal: sd must be a positive number"),
    (lambda: Uniform(2.0, 1.0), r"uniform: min \(2.0\) must be below max \(1.0\)"),
    (lambda: Uniform(1.0, 1.0), r"a single value is `fixed`"),
    (lambda: Uniform(1.0, math.inf), r"uniform: max must be a finite number"),
    (lambda: Triangular(0.0, 5.0, 4.0), r"mode \(5.0\) must lie between min \(0.0\) and max"),
    (lambda: Triangular(1.0, 1.0, 1.0), r"triangular: min \(1.0\) must be below max \(1.0\)"),
    (lambda: Triangular(0.0, math.nan, 1.0), r"triangular: mode must be a finite number"),
    (lambda: Fixed(math.nan), r"fixed: value must be a finite number"),
    (lambda: Beta.from_moments(0.5, 0.6), r"sd 0.6 is too wide for mean 0.5.*below .* 0.25"),
    (lambda: Beta.from_moments(1.2, 0.1), r"beta: mean must lie strictly between 0 and 1"),
    (lambda: Beta.from_moments(0.5, 0.0), r"beta: sd must be a positive number"),
    (lambda: Gamma.from_moments(1.0, -1.0), r"gamma: sd must be a positive number"),
    (lambda: fit_range(0.9, 0.6, "beta"), r"the range's low \(0.9\) is above its high \(0.6\)"),
    (lambda: fit_range(0.5, 1.2, "beta"), r"a share's range must lie within 0 to 1"),
    (lambda: fit_range(-0.1, 0.3, "beta"), r"a share's range must lie within 0 to 1"),
    (lambda: fit_range(-100, 50, "gamma"), r"gamma: mean must be a positive number, got -25"),
    (lambda: fit_range(-100, 100, "lognormal"), r"lognormal: mean must be a positive number"),
    (lambda: fit_range(1, 2, "weibull"), r"unknown family 'weibull'"),  # type: ignore[arg-type]
    (lambda: fit_range(math.nan, 1, "gamma"), r"low must be a finite number"),
    (lambda: fit_range(True, 1, "beta"), r"low must be a number, not True"),
    (lambda: spread(0.5, 1.5), r"spread must be a fraction from 0 to 1"),
    (lambda: spread(0.5, -0.1), r"spread must be a fraction from 0 to 1"),
    (lambda: spread(1.2, 0.1, share=True), r"a share must lie within 0 to 1, got 1.2"),
    (lambda: from_parameters("weibull", {}), r"unknown distribution 'weibull'; expected one of"),
    (
        lambda: from_parameters("gamma", {"shape": 2, "rate": 1}),
        r"gamma takes shape, scale; got rate, shape",
    ),
    (
        lambda: from_parameters("lognormal", {"mean": 1}),
        r"lognormal takes meanlog, sdlog or mean, sd; got mean",
    ),
    (lambda: from_parameters("fixed", {}), r"fixed takes value; got none"),
    (lambda: from_parameters("beta", {"alpha": 2, "beta": 0}), r"beta: beta must be a positive"),
    (lambda: from_parameters("fixed", {"value": math.inf}), r"fixed: value must be a finite"),
    (lambda: Beta(2.0, 2.0).quantile(0.0), r"a quantile needs 0 < p < 1, got 0.0"),
    (lambda: Gamma(2.0, 2.0).quantile(1.0), r"a quantile needs 0 < p < 1, got 1.0"),
]


@pytest.mark.parametrize(("make", "message"), ERRORS, ids=[m for _, m in ERRORS])
def test_impossible_distributions_and_fits_are_refused(
    make: Callable[[], object], message: str
) -> None:
    with pytest.raises(DistributionError, match=message):
        make()


def test_a_distribution_error_is_a_value_error() -> None:
    assert issubclass(DistributionError, ValueError)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Normal(0.0, 1.0).sample(random.Random(1), -1), r"zero or more, got -1"),
        (lambda: summarise([1.0]), r"at least two draws, got 1"),
        (lambda: probability([], lambda x: x > 0), r"at least one draw"),
        (lambda: running_mean([]), r"at least one draw"),
        (lambda: running_mean([1.0], checkpoints=0), r"one or more, got 0"),
    ],
)
def test_impossible_summaries_are_refused(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()
