"""Start-up stays fast by structure: each command and format loads only the modules it needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WATCHED = (
    "forex_python", "requests", "yaml", "pydantic", "pycountry", "rich", "cmhcost.engine.audit",
    "cmhcost.engine.pilot", "cmhcost.report.table", "cmhcost.report.csv",
)  # fmt: skip
RUN = (
    "import sys\n"
    "from cmhcost.cli import main\n"
    "sys.argv = ['cmhcost', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    f"print(sorted(set({WATCHED!r}) & set(sys.modules)), file=sys.stderr)\n"
)


def loaded(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, check=True
    )
    return done.stderr.strip().splitlines()[-1]


def test_importing_the_cli_loads_neither_the_network_stack_nor_pydantic() -> None:
    code = "import sys, cmhcost.cli; print(sorted({'forex_python', 'requests', 'pydantic', 'yaml', 'rich'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_json_report_loads_neither_rich_nor_the_other_reports(tmp_path: Path) -> None:
    expected = "['pydantic', 'yaml']"  # ISO codes come from pycountry's data, not its import
    assert loaded("compare", "--format", "json") == expected
    assert loaded("compare", "--format", "json", "--output", str(tmp_path / "out.json")) == expected


def test_the_table_loads_rich_and_not_the_other_reports() -> None:
    found = loaded("compare")
    assert "'rich'" in found and "cmhcost.report.table" in found
    assert "cmhcost.engine.audit" not in found and "cmhcost.engine.pilot" not in found


def test_the_engine_depends_on_models_not_on_the_parser() -> None:
    code = (
        "import sys, cmhcost.engine.compare, cmhcost.engine.pilot, cmhcost.engine.audit; "
        "print(sorted({'yaml', 'cmhcost.loading.reader', 'cmhcost.loading.yamldoc', 'rich', 'typer'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
