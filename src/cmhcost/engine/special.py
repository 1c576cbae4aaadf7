"""Special functions for the distributions' quantiles: the regularised incomplete beta and gamma.

Each cumulative distribution is evaluated by its series or continued fraction (Lentz's method),
and a quantile found by bisection to the last bit a float holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable

_EPS = 1e-15  # relative precision at which the incomplete beta and gamma stop
_TINY = 1e-300  # keeps the continued fractions' denominators off zero (Lentz's method)
_MAX_TERMS = 100_000


def bisect(cdf: Callable[[float], float], low: float, high: float, p: float) -> float:
    """The x in [low, high] where the increasing `cdf` crosses p, to the last bit a float has."""
    while True:
        middle = (low + high) / 2
        if middle <= low or middle >= high:
            return middle
        if cdf(middle) < p:
            low = middle
        else:
            high = middle


def beta_cdf(a: float, b: float, x: float) -> float:
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


def gamma_cdf(k: float, x: float) -> float:
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
