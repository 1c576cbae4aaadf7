"""`cmhcost sensitivity` and `cmhcost psa` on the Brazil example: formats, seeds, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app

BRAZIL = str(Path(__file__).parents[2] / "examples" / "brazil-peer-crisis-respite.yaml")


def test_sensitivity_json_lists_every_ranged_parameter(runner: CliRunner) -> None:
    result = runner.invoke(app, ["sensitivity", BRAZIL, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    swings = document["one_way"]
    assert [s["parameter"] for s in swings] == [
        "baselines[0].cost.amount",  # net saving -248 534.43 to 1 081 201.58
        "budget.capacity.occupancy",
        "budget.lines[0].amount",
    ]
    # The hospital day of 2020 at 1200 and 2400 is brought to the pilot's 2025 prices by the
    # pilot's factor 1.3483773 (Brazil's CPI 2020-2024, 1.29195, then 2025 projected), so
    # 1200 is 1618.05. Others at base (occupancy 0.75, staff 1 200 000): bed-nights
    # 6 x 0.75 x 365.25 = 1643.625; annual cost 1 200 000 + 330 000 + 48 270.4263 capital
    # (35 169.1520 + 13 101.2743) = 1 578 270.4263; net 0.5 x 1618.05279 x 1643.625 -
    # 1 578 270.4263 = 1 329 736.0047 - 1 578 270.4263 = -248 534.4216, and at 2400 the first
    # term twice: 2 659 472.0094 - 1 578 270.4263 = 1 081 201.5831.
    assert swings[0]["outcomes"]["net_saving"] == {"low": "-248534.42", "high": "1081201.58"}
    assert document["base"]["net_saving"] == "416333.58"
    assert document["grid"] is None


def test_sensitivity_grid_and_pictures(runner: CliRunner, tmp_path: Path) -> None:
    tornado, heat = tmp_path / "tornado.svg", tmp_path / "grid.svg"
    args = ["sensitivity", BRAZIL, "--grid", "occupancy,substitution", "--steps", "4"]
    args += ["--plot", str(tornado), "--plot-grid", str(heat), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    grid = json.loads(result.stdout)["grid"]
    assert len(grid["net_saving"]) == 4 and len(grid["net_saving"][0]) == 4
    first = tornado.read_bytes()
    assert b'id="base"' in first and b"budget.capacity.occupancy" in first
    assert b'id="budget-neutral"' in heat.read_bytes()
    assert runner.invoke(app, args).exit_code == 0
    assert tornado.read_bytes() == first  # the same drawing, byte for byte


def test_psa_same_seed_same_bytes(runner: CliRunner) -> None:
    args = ["psa", BRAZIL, "--draws", "10000", "--seed", "1", "--format", "json"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    document = json.loads(first.stdout)
    saving = document["probabilities"]["net_saving_above_zero"]
    assert 0 < float(saving["value"]) < 1 and 0 < float(saving["se"]) < 0.01
    assert document["correlation"] == "not modelled"
    other = runner.invoke(app, [*args[:-2], "--seed", "2", "--format", "json"])
    assert other.stdout != first.stdout
    assert first.stderr == ""  # no progress bar off a terminal


def test_psa_writes_every_draw(runner: CliRunner, tmp_path: Path) -> None:
    draws = tmp_path / "draws.csv"
    args = ["psa", BRAZIL, "--draws", "200", "--draws-output", str(draws), "--format", "csv"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = draws.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 201
    assert lines[0].startswith("draw,baselines[0].cost.amount,")
    assert "net_saving" in lines[0].split(",")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json", "html", "xlsx"])
def test_every_format(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    for command in (["sensitivity", BRAZIL, "--grid", "occupancy,substitution"],
                    ["psa", BRAZIL, "--draws", "500"]):  # fmt: skip
        out = tmp_path / f"{command[0]}.{fmt}"
        result = runner.invoke(app, [*command, "--format", fmt, "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
        if fmt == "html":
            assert "<svg" in out.read_text(encoding="utf-8")


def test_a_bad_spread_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["psa", BRAZIL, "--spread", "lots"])
    assert result.exit_code == 2
    assert "not a spread" in result.stderr


def test_no_progress_bar_off_a_terminal() -> None:
    from cmhcost.report.progress import progress_bar

    with progress_bar(10, "drawing", wanted=True) as progress:
        assert progress is None  # pytest captures stderr: not a terminal
    with progress_bar(10, "drawing", wanted=False) as progress:
        assert progress is None


def test_a_psa_of_points_is_the_pilot(runner: CliRunner, tmp_path: Path) -> None:
    text = Path(BRAZIL).read_text(encoding="utf-8")
    pointed = text.replace("[1100000, 1300000]", "1200000").replace("[0.6, 0.9]", "0.75")
    pointed = pointed.replace("amount: [1200, 2400]", "amount: 1800")
    path = tmp_path / "points.yaml"
    path.write_text(pointed, encoding="utf-8")
    pilot = json.loads(runner.invoke(app, ["pilot", str(path), "--format", "json"]).stdout)
    result = runner.invoke(app, ["psa", str(path), "--draws", "100", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    net = next(o for o in document["outcomes"] if o["outcome"] == "net_saving")
    assert net["mean"] == net["p2_5"] == net["p97_5"] == document["deterministic"]["net_saving"]
    assert net["mc_se"] == "0.00"
    own = pilot["pilots"][0]
    assert own["net_annual_saving"] == {"low": net["mean"], "high": net["mean"]}
    horizon = next(o for o in document["outcomes"] if o["outcome"] == "horizon_net")
    assert own["cash_flow"]["discounted_net"] == {"low": horizon["mean"], "high": horizon["mean"]}


def test_the_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from cmhcost.report.progress import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with progress_bar(10, "drawing", wanted=True) as progress:
        assert progress is not None
        progress(10)


def test_usage_errors_of_the_analyses(runner: CliRunner, tmp_path: Path) -> None:
    cases = [
        (["sensitivity", BRAZIL, "--grid", "occupancy"], "name two parameters"),
        (["sensitivity", BRAZIL, "--plot-grid", str(tmp_path / "g.svg")], "give --grid too"),
        (["sensitivity", BRAZIL, "--grid", "occupancy,nonsense"], "names no parameter"),
        (["psa", BRAZIL, "--spread", "150%"], "from 0% to 100%"),
        (["psa", BRAZIL, "--pilot", "nobody"], "holds no pilot 'nobody'"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code in (1, 2), result.output
        assert message in result.stderr


def test_a_file_of_two_pilots_needs_one_chosen(runner: CliRunner, tmp_path: Path) -> None:
    text = Path(BRAZIL).read_text(encoding="utf-8")
    head, record = text.split("services:\n", 1)
    second = record.replace("id: campinas-peer-crisis-respite", "id: campinas-second", 1)
    path = tmp_path / "two.yaml"
    path.write_text(head + "services:\n" + record + second, encoding="utf-8")
    result = runner.invoke(app, ["sensitivity", str(path)])
    assert result.exit_code == 1 and "choose one with --pilot" in result.stderr
    chosen = runner.invoke(
        app, ["sensitivity", str(path), "--pilot", "campinas-second", "--format", "csv"]
    )
    assert chosen.exit_code == 0, chosen.output
    assert chosen.stdout.startswith("parameter,label,value_low,value_high,unit_cost_low")


def test_psa_cumulative_picture(runner: CliRunner, tmp_path: Path) -> None:
    picture = tmp_path / "cdf.svg"
    args = ["psa", BRAZIL, "--draws", "300", "--spread", "0.1", "--plot", str(picture), "--cdf"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert b'id="cdf"' in picture.read_bytes()
