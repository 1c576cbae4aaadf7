"""The parameters of a pilot's uncertainty analyses: each input, its base, its low and high, its law.

Every input of the pilot's arithmetic is a parameter named by its path in the pilot's record
(`budget.lines[0].amount`, `budget.capacity.occupancy`, `pilot.substitution`,
`baselines[0].cost.amount`). A range is read as a 95% interval about its midpoint and fitted by
the method of moments: a beta for a share (occupancy, substitution, the discount rate), a gamma
for a cost, a count or a length. A record may name an input's own distribution or base value
under `pilot: uncertainty:`. A point input is fixed, unless a spread is asked for every one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from cmhcost.domain.errors import DatasetError, Problem
from cmhcost.domain.money import Range
from cmhcost.engine.distributions import Distribution, DistributionError, Family, Fixed
from cmhcost.engine.fitting import fit_range, from_parameters, spread
from cmhcost.engine.pilot_model import PilotModel
from cmhcost.schema.dataset import Locator
from cmhcost.schema.pilot_terms import UncertainInput

TWO = Decimal(2)
SHARES = ("budget.capacity.occupancy", "pilot.substitution", "budget.discount_rate")


@dataclass(frozen=True)
class Parameter:
    """One input of the analyses: where it varies (`low`-`high`) and how it is drawn."""

    name: str  # its path in the pilot's record
    label: str
    base: Decimal
    low: Decimal  # one-way analysis: the low end (a range's, or the 2.5% quantile)
    high: Decimal
    distribution: Distribution
    source: str  # where the distribution comes from, for the report

    @property
    def varies(self) -> bool:
        """False for a fixed input: it draws no random number and has no swing."""
        return not isinstance(self.distribution, Fixed)

    @property
    def short(self) -> str:
        """The last part of its path (`occupancy`), which a grid accepts when it is unique."""
        return self.name.rsplit(".", 1)[-1]


def inputs_of(model: PilotModel) -> Iterator[tuple[str, str, Range, Family]]:
    """Each input of the model: its path, a label, its range as stated and the family it takes."""
    budget, inputs, service = "budget", model.inputs, model.service
    assert service.budget is not None
    for i, line in enumerate(service.budget.lines):
        yield f"{budget}.lines[{i}].amount", line.label, line.amount, "gamma"
    for i, item in enumerate(service.budget.capital):
        yield f"{budget}.capital[{i}].amount", item.label, item.amount, "gamma"
        label = f"{item.label}: useful life (years)"
        yield f"{budget}.capital[{i}].life_years", label, item.life_years, "gamma"
    yield f"{budget}.discount_rate", "discount rate", inputs.discount_rate, "beta"
    capacity = service.budget.capacity
    for name in ("beds", "occupancy", "residents", "people_per_year", "population"):
        value = getattr(capacity, name)
        if value is not None:
            family: Family = "beta" if name == "occupancy" else "gamma"
            yield f"{budget}.capacity.{name}", name.replace("_", " "), value, family
    terms = service.pilot
    if terms is not None and terms.substitution is not None:
        yield "pilot.substitution", "substitution", terms.substitution, "beta"
    if terms is not None and terms.length_of_stay is not None:
        yield "pilot.length_of_stay", "length of stay (days)", terms.length_of_stay, "gamma"
    k = model.baseline_index
    baseline = service.baselines[k]
    yield f"baselines[{k}].cost.amount", baseline.label, model.baseline_stated, "gamma"
    if inputs.factor != 1:
        label = f"{baseline.label}: exchange rate to {model.currency}"
        yield f"baselines[{k}].price_factor", label, Range.of(inputs.factor), "gamma"


def parameters_of(
    model: PilotModel, locator: Locator | None = None, spread_by: Decimal | None = None
) -> tuple[Parameter, ...]:
    """Every input as a parameter; a distribution the record names that cannot be, a problem."""
    named = dict(model.service.pilot.uncertainty) if model.service.pilot else {}
    found, problems = [], list[Problem]()
    for name, label, stated, family in inputs_of(model):
        try:
            found.append(_parameter(name, label, stated, family, named.pop(name, None), spread_by))
        except DistributionError as exc:
            problems.append(_problem(model, locator, name, str(exc)))
    for name in named:  # what is left names no input
        known = ", ".join(n for n, *_ in inputs_of(model))
        problems.append(_problem(model, locator, name, f"no input {name!r}; inputs: {known}"))
    if problems:
        raise DatasetError(problems)
    return tuple(found)


def _parameter(
    name: str,
    label: str,
    stated: Range,
    family: Family,
    spec: UncertainInput | None,
    spread_by: Decimal | None,
) -> Parameter:
    middle = (stated.low + stated.high) / TWO
    base = spec.base if spec is not None and spec.base is not None else middle
    _check_value(name, base)
    if spec is not None and spec.distribution is not None:
        law = from_parameters(spec.distribution, spec.parameters)
        _check_support(name, law)
        low, high = _decimal(law.quantile(0.025)), _decimal(law.quantile(0.975))
        if isinstance(law, Fixed):
            low = high = base = _decimal(law.value)
        return Parameter(name, label, base, low, high, law, f"{law.describe()}, named in the file")
    if not stated.is_point:
        law = fit_range(stated.low, stated.high, family)
        source = f"{law.describe()}, fitted to {stated.low}-{stated.high} as a 95% interval"
        return Parameter(name, label, base, stated.low, stated.high, law, source)
    if spread_by:
        wide = spread(stated.low, spread_by, share=name in SHARES)
        law = fit_range(wide.low, wide.high, family)
        pct = spread_by * 100
        source = f"{law.describe()}, fitted to {stated.low} ± {pct.normalize()}% as a 95% interval"
        if wide.narrowed:
            source += " (narrowed to stay within 0-1)"
        return Parameter(name, label, base, _decimal(wide.low), _decimal(wide.high), law, source)
    return Parameter(name, label, base, base, base, Fixed(float(base)), "fixed")


TAIL = 0.001  # a named distribution may put no more than this below 0 (or a share above 1)


def _check_value(name: str, value: Decimal) -> None:
    """A base value the pilot's arithmetic can take: a share within 0-1, anything else above 0."""
    if name in SHARES and not 0 <= value <= 1:
        raise DistributionError(f"base {value}: a share lies within 0 to 1")
    if name not in SHARES and value <= 0:
        raise DistributionError(f"base {value}: this input must be above 0")


def _check_support(name: str, law: Distribution) -> None:
    """A named distribution whose draws stay possible: a share's within 0-1, others above 0."""
    low, high = law.quantile(TAIL), law.quantile(1 - TAIL)
    if name in SHARES and (low < 0 or high > 1):
        raise DistributionError(
            f"{law.describe()} draws outside 0 to 1 (0.1% to 99.9%: {low:.6g} to {high:.6g}), "
            "and this input is a share; a beta stays within them"
        )
    if name not in SHARES and low <= 0:
        raise DistributionError(
            f"{law.describe()} draws 0 or less (its 0.1% point is {low:.6g}), and this input "
            "must be above 0; a gamma or a lognormal stays above it"
        )


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value))


def _problem(model: PilotModel, locator: Locator | None, name: str, message: str) -> Problem:
    service = model.service.id
    loc = ["pilot", "uncertainty", name]
    if locator is None:
        return Problem("-", 0, service, ".".join(loc), message)
    return locator.problem(service, loc, message)
