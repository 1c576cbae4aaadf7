"""Start-up stays fast by structure: heavy modules load only in the commands that need them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = (
    "import sys\n"
    "from cmhcost.cli import main\n"
    "sys.argv = ['cmhcost', 'compare', '--format', 'json', '--output', sys.argv[1]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(sorted({'forex_python', 'requests', 'yaml', 'pydantic', 'pycountry'} & set(sys.modules)))\n"
)


def loaded(tmp_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_importing_the_cli_loads_neither_the_network_stack_nor_pydantic() -> None:
    code = "import sys, cmhcost.cli; print(sorted({'forex_python', 'requests', 'pydantic', 'yaml'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_report_is_computed(tmp_path: Path) -> None:
    assert loaded(tmp_path) == "['pycountry', 'pydantic', 'yaml']"
    assert loaded(tmp_path) == "['pycountry', 'pydantic', 'yaml']"  # no stored report answers
