"""`cmhcost pilot --basis ppp`: a pilot in a currency with no exchange rate stored is appraised."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.loading.paths import shipped_rates
from cmhcost.loading.reader import load_rates
from tests.conftest import FIXTURES

KES_PILOT = FIXTURES / "valid" / "pilot-kes.yaml"


def test_no_rates_file_holds_a_kes_rate() -> None:
    sets = load_rates(shipped_rates()).sets
    assert all("KES" not in s.rates and s.base != "KES" for s in sets)


def test_a_kes_pilot_is_appraised_and_ranked_on_the_ppp_basis(runner: CliRunner) -> None:
    args = ["pilot", str(KES_PILOT), "--basis", "ppp", "--price-year", "2024", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    (pilot,) = json.loads(result.stdout)["pilots"]
    # KES 18 000 000 a year / (10 beds x 0.6-0.9 x 365.25) = KES 8213.55-5475.70 a bed-night,
    # of 2024: / PPP KE 2024 43.2712900869078 = I$ 126.54-189.82
    assert pilot["cost"] == {"low": "126.54", "high": "189.82"}
    # the baseline KES 12 000 / 43.2712900869078 = I$ 277.32; ratio 5475.70/12000 - 8213.55/12000
    comparison = pilot["baselines"][0]
    assert comparison["cost"]["low"] == "277.32"
    assert comparison["ratio"] == {"low": "0.4563", "high": "0.6845"}
    # Crisis services in 2024 I$ a bed-night: the Shared Lives crisis scheme (tagged crisis,
    # I$ 172.04) falls within the pilot's 126.54-189.82, the others above it: 1st or 2nd.
    assert pilot["rank"]["place"] == {"low": "1", "high": "2"}
    assert (pilot["price_year"], pilot["basis"]) == (2024, "2024 USD (ppp)")


def test_without_a_basis_or_a_rate_the_kes_pilot_runs_in_kes_unranked(runner: CliRunner) -> None:
    result = runner.invoke(app, ["pilot", str(KES_PILOT), "--format", "json"])
    assert result.exit_code == 0, result.output
    (pilot,) = json.loads(result.stdout)["pilots"]
    # KES 18 000 000 / (10 x 0.6-0.9 x 365.25) = 5475.70-8213.55 a bed-night, in KES.
    assert (pilot["currency"], pilot["cost"]) == ("KES", {"low": "5475.70", "high": "8213.55"})
    # Net annual saving, substitution 1: 12 000 x 2191.5-3287.25 nights - 18 000 000
    # = 26 298 000 - 18 000 000 = 8 298 000 to 39 447 000 - 18 000 000 = 21 447 000.
    assert pilot["net_annual_saving"] == {"low": "8298000.00", "high": "21447000.00"}
    assert pilot["rank"]["place"] is None
    assert "unranked: no exchange rate between KES" in pilot["rank"]["note"]
    assert "cmhcost rates add RATE KES --per USD --date 2024-07-01" in pilot["rank"]["note"]
