"""Benchmark cmhcost: start-up against its import floor, and scale on synthetic datasets.

Run from the repository root with the project's environment:

    .venv/bin/python bench/bench.py            # full run (about two minutes on 2 cores)
    .venv/bin/python bench/bench.py --quick    # fewer repeats, up to 10 000 services
    .venv/bin/python bench/bench.py --startup  # start-up only

Every figure is the median of interleaved runs in fresh processes (one run at 100 000 services).
Peak memory is the maximum resident set size of the process (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MEASURE = """
import resource, sys, time
start = time.perf_counter()
kind, args = sys.argv[1], sys.argv[2:]
if kind == "floor":
    import typer, rich.table, pydantic, yaml
elif kind == "parse":
    import yaml
    try:
        from yaml import CSafeLoader as Loader
    except ImportError:
        from yaml import SafeLoader as Loader
    with open(args[0], encoding="utf-8") as handle:
        yaml.load(handle, Loader=Loader)
else:
    from cmhcost.cli import app
    try:
        app(args, prog_name="cmhcost")
    except SystemExit as exc:
        if exc.code:
            raise
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

CURRENCIES = [
    ("USD", None),
    ("EUR", "2021-03"),
    ("GBP", "2021-02"),
    ("BRL", "2021-02"),
    ("NZD", "2021-02"),
    ("INR", "2021-03"),
]
UNITS = ["bed-night", "person-day", "person-week", "person-month", "person-year"]
CATEGORIES = [
    "crisis",
    "hospital-based",
    "community-mental-health-centre",
    "peer-support",
    "supported-living",
]


def synthetic(count: int, seed: int = 7) -> str:
    """A services file of `count` records: ranges, relative baselines, several currencies and units."""
    rng = random.Random(seed)
    out = ["version: 1", "services:"]
    for i in range(count):
        currency, month = rng.choice(CURRENCIES)
        unit = rng.choice(UNITS)
        low = rng.randint(50, 5000)
        amount = f"[{low}, {low + rng.randint(1, 500)}]" if rng.random() < 0.3 else str(low)
        usd = f"\n        usd: {{amount: {rng.randint(10, 9000)}, as_of: {month}}}" if month else ""
        source = f"{{document: register.txt, section: Facilities, lines: [{i + 1}, {i + 1}], quote: facility {i}}}"
        out.append(f"""  - id: facility-{i}
    name: Facility {i}
    place: District {i % 97}
    country: {rng.choice(["GB", "BR", "IN", "NZ", "US", "FR"])}
    category: {rng.choice(CATEGORIES)}
    figures:
      - id: unit-cost
        label: Cost per unit
        amount: {amount}
        currency: {currency}
        unit: {unit}
        price_year: 2020{usd}
        source: {source}
    baselines:""")
        if rng.random() < 0.4:
            out.append(f"""      - id: hospital
        label: Hospital
        relative: {{relation: service-percent-less, value: [{rng.randint(5, 30)}, {rng.randint(31, 60)}], words: less than hospital, source: {source}}}""")
        else:
            out.append(f"""      - id: hospital
        label: Hospital
        cost:
          id: hospital-day
          label: Hospital per day
          amount: {rng.randint(100, 9000)}
          currency: {currency}
          unit: person-day
          price_year: 2020
          source: {source}""")
    return "\n".join(out) + "\n"


def run(kind: str, *args: str) -> tuple[float, int]:
    """Wall seconds and peak kilobytes of one fresh process."""
    start = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-c", MEASURE, kind, *args], capture_output=True, text=True, cwd=ROOT
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{kind} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return elapsed, int(done.stderr.strip().splitlines()[-1])


def medians(jobs: dict[str, tuple[str, ...]], repeats: int) -> dict[str, tuple[float, int]]:
    """Median wall time and peak memory of each job, runs interleaved."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    peaks: dict[str, list[int]] = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, (kind, *args) in jobs.items():
            elapsed, peak = run(kind, *args)
            times[name].append(elapsed)
            peaks[name].append(peak)
    return {name: (statistics.median(times[name]), max(peaks[name])) for name in jobs}


def paired(
    jobs: dict[str, tuple[str, ...]], repeats: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds of each job, and the median over runs of each job's time over the floor's
    time in the same round (a round runs every job once, so load on the machine cancels out)."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(repeats):
        for name, (kind, *args) in jobs.items():
            times[name].append(run(kind, *args)[0])
    ratios = {
        name: statistics.median(t / f for t, f in zip(times[name], times["floor"], strict=True))
        for name in jobs
    }
    return {name: statistics.median(t) for name, t in times.items()}, ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no 100 000 run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--startup", action="store_true", help="measure start-up only")
    options = parser.parse_args()
    repeats = 5 if options.quick else 11
    sizes = [] if options.startup else [1000, 10000] if options.quick else [1000, 10000, 100000]

    startup, ratios = paired(
        {
            "floor": ("floor",),
            "compare": ("cli", "compare", "--format", "json"),
            "table": ("cli", "compare"),
        },
        repeats,
    )
    results: dict[str, object] = {
        "startup_floor_s": round(startup["floor"], 3),
        "startup_compare_s": round(startup["compare"], 3),
        "startup_table_s": round(startup["table"], 3),
        "startup_ratio": round(ratios["compare"], 2),
        "startup_ratio_table": round(ratios["table"], 2),
        "scale": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"services-{size}.yaml"
            path.write_text(synthetic(size), encoding="utf-8")
            jobs = {
                "parse": ("parse", str(path)),
                "validate": ("cli", "validate", str(path)),
                "compare": (
                    "cli",
                    "compare",
                    "--format",
                    "json",
                    "--data",
                    str(path),
                    "--output",
                    str(Path(folder) / "out.json"),
                ),
            }
            measured = medians(jobs, {1000: repeats, 10000: 5}.get(size, 1))
            results["scale"][size] = {  # type: ignore[index]
                name: {"seconds": round(t, 3), "peak_mib": round(kb / 1024, 1)}
                for name, (t, kb) in measured.items()
            }
    scale = results["scale"]  # type: ignore[assignment]
    if 100000 in scale:
        results["growth_100k_over_10k"] = round(
            scale[100000]["compare"]["seconds"] / scale[10000]["compare"]["seconds"], 2
        )
        results["compare_over_parse_100k"] = round(
            scale[100000]["compare"]["seconds"] / scale[100000]["parse"]["seconds"], 2
        )
    if options.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"start-up: import floor {results['startup_floor_s']} s; compare --format json "
        f"{results['startup_compare_s']} s (ratio {results['startup_ratio']}); table "
        f"{results['startup_table_s']} s (ratio {results['startup_ratio_table']})"
    )
    print(f"{'services':>9} {'parse s':>8} {'validate s':>10} {'compare s':>9} {'compare MiB':>11}")
    for size, row in scale.items():
        print(
            f"{size:>9} {row['parse']['seconds']:>8} {row['validate']['seconds']:>10} {row['compare']['seconds']:>9} {row['compare']['peak_mib']:>11}"
        )
    for key in ("growth_100k_over_10k", "compare_over_parse_100k"):
        if key in results:
            print(f"{key}: {results[key]}")


if __name__ == "__main__":
    main()
