"""The shipped guidance and its rates, read once per test module that asks for them."""

from __future__ import annotations

import pytest

from cmhcost.conversion.exchange import RateTable
from cmhcost.loading.reader import load_rates, load_services, shipped_rates, shipped_services
from cmhcost.schema.dataset import Dataset


@pytest.fixture(scope="module")
def guidance() -> Dataset:
    return load_services([shipped_services()])


@pytest.fixture(scope="module")
def rates() -> RateTable:
    return RateTable(load_rates(shipped_rates()).sets)
