"""The shipped data by name: `--data FILE` adds to it, `cmhcost:NAME` names it from anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cmhcost.cli import app
from cmhcost.loading.paths import shipped_services
from tests.conftest import FIXTURES

PILOT = "cmhcost:examples/brazil-peer-crisis-respite.yaml"


def ids(runner: CliRunner, *args: str) -> set[str]:
    result = runner.invoke(app, ["services", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return {record["id"] for record in json.loads(result.stdout)}


def test_data_adds_to_the_shipped_services_from_any_directory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no data/ here
    shipped = ids(runner)
    assert len(shipped) >= 30
    added = ids(runner, "--data", PILOT)
    assert added > shipped and len(added - shipped) == 1
    only = ids(runner, "--no-shipped-data", "--data", str(FIXTURES / "valid" / "services.yaml"))
    assert "afiya-house" not in only and "tupu-ake" in only
    assert ids(runner, "--data", "cmhcost:services.yaml") == shipped  # read once, not twice


def test_a_pilot_runs_from_its_shipped_name(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["pilot", PILOT, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pilots"][0]["currency"] == "BRL"


def test_wrong_names_are_usage_errors(runner: CliRunner) -> None:
    result = runner.invoke(app, ["services", "--data", "cmhcost:nothing.yaml"])
    assert result.exit_code == 2
    assert "cmhcost:services.yaml" in result.stderr and PILOT in result.stderr
    result = runner.invoke(app, ["services", "--no-shipped-data"])
    assert result.exit_code == 2 and "give --data FILE" in result.stderr


def test_paths_prints_every_shipped_file_by_name(runner: CliRunner) -> None:
    result = runner.invoke(app, ["paths"])
    assert result.exit_code == 0, result.output
    rows = dict(line.split("\t") for line in result.stdout.splitlines())
    assert rows["cmhcost:services.yaml"] == str(shipped_services())
    assert Path(rows[PILOT]).read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert "user data directory" in rows


def test_init_pilot_starts_from_an_example(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "respite.yaml"
    result = runner.invoke(app, ["init-pilot", str(target), "--from", "brazil-peer-crisis-respite"])
    assert result.exit_code == 0, result.output
    example = Path(__file__).resolve().parents[2] / "examples" / "brazil-peer-crisis-respite.yaml"
    assert target.read_text(encoding="utf-8") == example.read_text(encoding="utf-8")
    result = runner.invoke(app, ["init-pilot", str(tmp_path / "x.yaml"), "--from", "nowhere"])
    assert result.exit_code == 2 and "india-supported-housing.yaml" in result.stderr
