"""The package: its data found through package resources, its version, its declared dependencies."""

from __future__ import annotations

import ast
import inspect
import os
import re
import subprocess
import sys
import zipfile
from importlib.metadata import distributions, requires
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cmhcost
from cmhcost.cli import app
from cmhcost.loading.paths import shipped_rates, shipped_services, user_rates

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "cmhcost"


def test_version_is_printed_by_both_flags(runner: CliRunner) -> None:
    for flag in ("--version", "-V"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0, result.output
        assert result.stdout == f"cmhcost {cmhcost.__version__}\n"


def test_the_shipped_data_is_every_file_of_the_top_level_data_folder() -> None:
    assert shipped_services().read_bytes() == (ROOT / "data" / "services.yaml").read_bytes()
    assert shipped_rates().read_bytes() == (ROOT / "data" / "exchange_rates.yaml").read_bytes()


def test_the_user_layer_lives_under_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert user_rates() == tmp_path / "xdg" / "cmhcost" / "exchange_rates.yaml"


def test_the_data_is_found_inside_a_zipped_package(tmp_path: Path) -> None:
    archive = tmp_path / "cmhcost.zip"
    with zipfile.ZipFile(archive, "w") as zf:  # the layout of the wheel: data/ as cmhcost/data/
        for path in SRC.glob("*.py"):
            zf.write(path, f"cmhcost/{path.name}")
        for path in (ROOT / "data").iterdir():
            zf.write(path, f"cmhcost/data/{path.name}")
    code = (
        "import cmhcost, sys\n"
        "assert cmhcost.__file__.startswith(sys.argv[1]), cmhcost.__file__\n"
        "from cmhcost.loading.reader import load_services, shipped_services\n"
        "print(len(load_services([shipped_services()]).services))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(archive)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(archive)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    expected = (ROOT / "data" / "services.yaml").read_text().count("\n  - id: ")
    assert done.stdout.strip() == str(expected)


def _imported_modules() -> set[str]:
    names = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"cmhcost"}


def _providers() -> dict[str, list[str]]:
    """Each top-level module's distributions, as packages_distributions() gives them from 3.11 on
    (3.10's reads only top_level.txt, which wheels not built by setuptools lack)."""
    found: dict[str, list[str]] = {}
    for dist in distributions():
        tops = (dist.read_text("top_level.txt") or "").split() or {
            path.parts[0] if len(path.parts) > 1 else inspect.getmodulename(path.name) or path.name
            for path in dist.files or []
        }
        for top in tops:
            if "." not in top:
                found.setdefault(top, []).append(dist.metadata["Name"])
    return found


def _dependencies() -> list[str]:
    """The installed package's run-time requirements (extras left out)."""
    return [r for r in requires("cmhcost") or [] if "extra ==" not in r]


def _requirement_name(requirement: str) -> str:
    name = requirement.split(";")[0]
    for mark in "<>=!~[ ":
        name = name.split(mark)[0]
    return name.lower().replace("_", "-")


def test_every_imported_third_party_module_is_a_declared_dependency() -> None:
    features = [r for r in requires("cmhcost") or [] if re.search(r"extra == .(?!test|dev)", r)]
    declared = {_requirement_name(r) for r in [*_dependencies(), *features]}
    providers = _providers()
    undeclared = {
        module: providers.get(module)
        for module in _imported_modules()
        if not {d.lower().replace("_", "-") for d in providers.get(module, [])} & declared
    }
    assert undeclared == {}


def test_every_dependency_floor_is_pinned_for_ci() -> None:
    floors = {}
    for line in (ROOT / ".ci" / "floors.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            floors[name.lower()] = version
    for requirement in _dependencies():
        name = _requirement_name(requirement)
        floor = requirement.split(">=")[1]
        assert floors[name].startswith(floor), (name, floors[name], floor)


def test_every_subpackage_is_listed_for_the_build() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    listed = re.search(r"^packages = \[(.*?)\]$", text, re.M | re.S)
    assert listed is not None
    found = {
        ".".join(("cmhcost", *init.parent.relative_to(SRC).parts))
        for init in SRC.rglob("__init__.py")
    }
    names = {name.strip(' "\n') for name in listed.group(1).split(",")} - {""}
    assert names == found | {"cmhcost.data", "cmhcost.examples"}
