"""What `cmhcost pilot` says about one pilot: the report the formats write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from cmhcost.conversion.prices import Adjustment
from cmhcost.domain.money import Range
from cmhcost.engine.compare import Row, Skipped
from cmhcost.engine.costing import Derivation
from cmhcost.engine.pilot.arithmetic import ONE, Outcomes, PilotInputs, Reach
from cmhcost.engine.pilot.cashflow import CashFlow
from cmhcost.schema.services import Service


@dataclass(frozen=True)
class Peer:
    """A service of the guidance costed per the pilot's unit and in its currency, for ranking."""

    service: Service
    figure_ids: tuple[str, ...]
    cost: Range
    is_pilot: bool = False
    steps: tuple[Adjustment | None, ...] = ()  # how each figure came to the pilot's basis


@dataclass(frozen=True)
class PilotReport:
    """Everything `cmhcost pilot` says about one pilot, amounts shown in `currency`.

    The arithmetic is done once, in the pilot's own currency (`local`) at its price year
    (`outcomes`, from `inputs`); `display` is the adjustment that takes those amounts to the
    shown currency and basis, and `display_factor` the number it multiplies them by.
    """

    service: Service
    currency: str
    unit: str
    cost: Range
    derivation: Derivation | None
    comparisons: tuple[Row, ...]
    skipped: tuple[Skipped, ...]
    peers: tuple[Peer, ...]
    unranked: tuple[str, ...]
    substitution: Range = ONE
    assumptions: tuple[str, ...] = ()
    price_year: int | None = None  # the pilot's own price year
    basis: str | None = None  # on a price basis: "2024 USD (ppp)", else None
    local: str = ""  # the pilot's own currency
    inputs: PilotInputs | None = None  # against the first baseline
    outcomes: Outcomes | None = None
    display: Adjustment | None = None  # the pilot's currency and year to the shown ones
    display_factor: Decimal = Decimal(1)
    local_rows: tuple[Row, ...] = field(
        default=()
    )  # the comparisons at the pilot's year and currency
    rank_note: str | None = None  # why the pilot is ranked among only some services, or none
    by_baseline: Mapping[str, Outcomes] = field(default_factory=dict)  # each baseline's outcomes

    def shown(self, amount: Range | None) -> Range | None:
        """An amount of the pilot's currency and year in the shown currency and basis."""
        return None if amount is None else amount.scale(self.display_factor)

    @property
    def break_even_occupancy(self) -> Range | None:
        """Unit-cost parity: the occupancy at which the unit cost equals the baseline's."""
        return self.outcomes.parity_occupancy if self.outcomes else None

    @property
    def neutral_occupancy(self) -> Range | None:
        """Budget-neutral: the occupancy at which the net annual saving is zero."""
        return self.outcomes.neutral_occupancy if self.outcomes else None

    @property
    def neutral_substitution(self) -> Range | None:
        """The substitution share at which the pilot is budget-neutral at its occupancy."""
        return self.outcomes.neutral_substitution if self.outcomes else None

    @property
    def reach(self) -> Reach | None:
        """Whether the budget-neutral occupancy can be reached, judged at each end."""
        return self.outcomes.reach if self.outcomes else None

    @property
    def break_even_budget(self) -> Range | None:
        """Unit-cost parity: the annual cost at which a unit costs the baseline's (shown)."""
        return self.shown(self.outcomes.parity_budget) if self.outcomes else None

    @property
    def neutral_budget(self) -> Range | None:
        """The annual cost at which the net saving is zero, given the substitution (shown)."""
        return self.shown(self.outcomes.neutral_budget) if self.outcomes else None

    @property
    def annual_saving(self) -> Range | None:
        """Substitution x (parity budget - annual cost), shown."""
        return self.shown(self.outcomes.annual_saving) if self.outcomes else None

    @property
    def net_saving(self) -> Range | None:
        """The baseline care replaced less the pilot's whole annual cost, shown."""
        return self.shown(self.outcomes.net_saving) if self.outcomes else None

    @property
    def cash_flow(self) -> CashFlow | None:
        """The horizon year by year, shown."""
        flow = self.outcomes.cash_flow if self.outcomes else None
        return None if flow is None else flow.scaled(self.display_factor)

    @property
    def ranked(self) -> bool:
        """Whether any service of the guidance was costed to rank the pilot among."""
        return len(self.peers) > 1

    @property
    def rank(self) -> Range:
        """The pilot's place among its peers by cost, cheapest first (1-based), as a range.

        Best: only the peers that cost less even at the pilot's low end come before it. Worst:
        every peer whose cost could fall at or below the pilot's high end comes before it.
        """
        pilot = next(p for p in self.peers if p.is_pilot)
        others = [p for p in self.peers if not p.is_pilot]
        best = 1 + sum(1 for p in others if p.cost.high < pilot.cost.low)
        worst = 1 + sum(1 for p in others if p.cost.low <= pilot.cost.high)
        return Range.of(best, worst)
