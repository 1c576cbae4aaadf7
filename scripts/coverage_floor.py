"""Fail when any module's branch coverage is under the floor (coverage.py's own floor is total).

Run after `pytest --cov=cmhcost --cov-branch --cov-report=json:coverage.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FLOOR = 90.0


def main(report: str = "coverage.json") -> int:
    files = json.loads(Path(report).read_text(encoding="utf-8"))["files"]
    low = {name: data["summary"]["percent_covered"] for name, data in files.items()}
    low = {name: pct for name, pct in low.items() if pct < FLOOR}
    for name, pct in sorted(low.items()):
        print(f"{name}: {pct:.1f}% covered, under the floor of {FLOOR:.0f}%", file=sys.stderr)
    return 1 if low else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
