"""Benchmark cmhcost: start-up against its import floor, and scale on synthetic datasets.

Run from the repository root with the project's environment:

    .venv/bin/python bench/bench.py            # full run (about six minutes on 2 cores)
    .venv/bin/python bench/bench.py --quick    # fewer repeats, up to 10 000 services
    .venv/bin/python bench/bench.py --startup  # start-up only
    .venv/bin/python bench/bench.py --startup --parts  # and what the libraries alone cost
    .venv/bin/python bench/bench.py --instructions     # start-up and parts counted by callgrind
    .venv/bin/python bench/bench.py --psa      # psa (10 000 and 100 000 draws) against pilot

cmhcost is measured as `pip install .` leaves it: a throwaway virtual environment gets the built
package (compiled, as pip compiles it) and sees the project environment's dependencies, not its
editable install (`--here` measures the running environment as it is instead). Every figure is the
median of interleaved runs in fresh processes (one run at 100 000 services). Peak memory is the
maximum resident set size of the process (ru_maxrss). Instruction counts (valgrind's callgrind) do
not move with the load on a shared machine, where wall times do.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MEASURE = """
import resource, sys, time
start = time.perf_counter()
kind, args = sys.argv[1], sys.argv[2:]
if kind == "floor":
    import typer, rich.table, pydantic, yaml
elif kind == "floor+models":  # the least any pydantic model costs: its machinery and one validator
    import typer, rich.table, pydantic, yaml
    class Model(pydantic.BaseModel):
        x: int
    Model(x=1)
elif kind == "floor+commands":  # typer turning cmhcost's commands into its command tree
    import typer, rich.table, pydantic, yaml
    from cmhcost.cli import app
    typer.main.get_command(app)
elif kind == "floor+compose":  # libyaml composing the shipped files into nodes that know lines
    import typer, rich.table, pydantic, yaml
    from importlib.resources import files
    for name in ("services.yaml", "exchange_rates.yaml"):
        yaml.compose(files("cmhcost.data").joinpath(name).read_text("utf-8"), Loader=yaml.CSafeLoader)
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


def installed(folder: Path) -> str:
    """A Python that imports cmhcost as `pip install .` leaves it, with the project's dependencies."""
    venv.create(folder, with_pip=False, symlinks=True)
    paths = {"base": str(folder), "platbase": str(folder)}
    site = Path(sysconfig.get_path("purelib", vars=paths))
    # The dependencies' folder is added as a path: its .pth hooks (the editable install) do not run.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    install = ["-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(ROOT)]
    subprocess.run([PYTHON, *install], check=True, capture_output=True)
    return str(folder / "bin" / "python")


class Runner:
    """Fresh processes of one interpreter, started in a folder outside the checkout."""

    def __init__(self, python: str, cwd: Path) -> None:
        self.python, self.cwd = python, cwd

    def command(self, kind: str, *args: str) -> list[str]:
        return [self.python, "-c", MEASURE, kind, *args]

    def run(self, kind: str, *args: str) -> tuple[float, int]:
        """Wall seconds and peak kilobytes of one fresh process."""
        start = time.perf_counter()
        done = subprocess.run(
            self.command(kind, *args), capture_output=True, text=True, cwd=self.cwd
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{kind} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return elapsed, int(done.stderr.strip().splitlines()[-1])

    def instructions(self, kind: str, *args: str) -> int:
        """Instructions one fresh process runs, counted by callgrind: the same on a busy machine."""
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
        command += self.command(kind, *args)
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.cwd, check=True)
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise SystemExit(f"callgrind printed no count:\n{done.stderr[-2000:]}")
        return int(found.group(1))

    def rounds(self, jobs: Jobs, repeats: int) -> dict[str, list[tuple[float, int]]]:
        """Each job's seconds and peak kilobytes in each round (a round runs every job once, so
        that load on the machine weighs on all of them alike)."""
        runs: dict[str, list[tuple[float, int]]] = {name: [] for name in jobs}
        for _ in range(repeats):
            for name, (kind, *args) in jobs.items():
                runs[name].append(self.run(kind, *args))
        return runs

    def medians(self, jobs: Jobs, repeats: int) -> dict[str, tuple[float, int]]:
        """Median wall time and peak memory of each job, runs interleaved."""
        return {
            name: (statistics.median(t for t, _ in runs), max(kb for _, kb in runs))
            for name, runs in self.rounds(jobs, repeats).items()
        }

    def paired(self, jobs: Jobs, repeats: int) -> dict[str, list[float]]:
        """Seconds of each job in each round."""
        return {name: [t for t, _ in runs] for name, runs in self.rounds(jobs, repeats).items()}


def ratio(times: dict[str, list[float]], job: str, floor: str = "floor") -> float:
    """The median over rounds of `job`'s time over `floor`'s time in the same round."""
    pairs = zip(times[job], times[floor], strict=True)
    return round(statistics.median(t / f for t, f in pairs), 2)


Jobs = dict[str, tuple[str, ...]]
STARTUP: Jobs = {
    "floor": ("floor",),
    "compare": ("cli", "compare", "--format", "json"),
    "table": ("cli", "compare"),
}
# What the stack costs before cmhcost does anything of its own, each on top of the floor.
PARTS: Jobs = {
    "floor+models": ("floor+models",),
    "floor+commands": ("floor+commands",),
    "floor+compose": ("floor+compose",),
}


def startup(runner: Runner, repeats: int, parts: bool) -> dict[str, object]:
    times = runner.paired({**STARTUP, **(PARTS if parts else {})}, repeats)
    results: dict[str, object] = {
        "startup_floor_s": round(statistics.median(times["floor"]), 3),
        "startup_compare_s": round(statistics.median(times["compare"]), 3),
        "startup_table_s": round(statistics.median(times["table"]), 3),
        "startup_ratio": ratio(times, "compare"),
        "startup_ratio_table": ratio(times, "table"),
    }
    if parts:
        results["parts_over_floor"] = {
            job.removeprefix("floor+"): round(ratio(times, job) - 1, 2) for job in PARTS
        }
        # Against a floor that also loads what one pydantic model needs.
        results["startup_ratio_to_models"] = ratio(times, "compare", "floor+models")
        results["startup_ratio_table_to_models"] = ratio(times, "table", "floor+models")
    return results


EXAMPLE = str(ROOT / "examples" / "brazil-peer-crisis-respite.yaml")
PSA: Jobs = {
    "pilot": ("cli", "pilot", EXAMPLE, "--format", "json"),
    "psa": ("cli", "psa", EXAMPLE, "--draws", "10000", "--seed", "1", "--format", "json"),
}


def psa(runner: Runner, repeats: int) -> dict[str, object]:
    """`cmhcost psa --draws 10000` as a ratio to `cmhcost pilot` on the same file, round by round;
    100 000 draws in seconds (a few rounds)."""
    times = runner.paired(PSA, repeats)
    big = [runner.run("cli", *PSA["psa"][1:4], "100000", "--seed", "1", "--format", "json")[0]
           for _ in range(3)]  # fmt: skip
    return {
        "pilot_s": round(statistics.median(times["pilot"]), 3),
        "psa_10k_s": round(statistics.median(times["psa"]), 3),
        "psa_10k_over_pilot": ratio(times, "psa", "pilot"),
        "psa_100k_s": round(statistics.median(big), 3),
    }


def counted(runner: Runner) -> dict[str, object]:
    """Start-up and its parts as instructions over the floor's (one run each: counts repeat)."""
    counts = {name: runner.instructions(*job) for name, job in {**STARTUP, **PARTS}.items()}
    return {
        "instructions": counts,
        "instruction_ratios": {
            name: round(count / counts["floor"], 2) for name, count in counts.items()
        },
    }


Scale = dict[int, dict[str, dict[str, float]]]


def scale(runner: Runner, sizes: list[int], repeats: int, folder: Path) -> Scale:
    results: Scale = {}
    for size in sizes:
        path = folder / f"services-{size}.yaml"
        path.write_text(synthetic(size), encoding="utf-8")
        out = str(folder / "out.json")
        jobs = {
            "parse": ("parse", str(path)),
            "validate": ("cli", "validate", str(path)),
            "compare": ("cli", "compare", "--format", "json", "--data", str(path), "--output", out),
        }
        measured = runner.medians(jobs, {1000: repeats, 10000: 5}.get(size, 1))
        results[size] = {
            name: {"seconds": round(t, 3), "peak_mib": round(kb / 1024, 1)}
            for name, (t, kb) in measured.items()
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no 100 000 run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--startup", action="store_true", help="measure start-up only")
    parser.add_argument(
        "--parts", action="store_true", help="also measure what the libraries alone cost"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions with valgrind instead of timing start-up (slow, repeatable)",
    )
    parser.add_argument(
        "--here", action="store_true", help="measure the running environment, not a fresh install"
    )
    parser.add_argument(
        "--psa", action="store_true", help="measure psa against pilot on the Brazil example only"
    )
    options = parser.parse_args()
    repeats = 5 if options.quick else 11
    sizes = [] if options.startup else [1000, 10000] if options.quick else [1000, 10000, 100000]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        python = PYTHON if options.here else installed(folder / "venv")
        runner = Runner(python, folder)
        if options.instructions:
            print(json.dumps(counted(runner), indent=2))
            return
        if options.psa:
            found = psa(runner, repeats)
            if options.json:
                print(json.dumps(found, indent=2))
            else:
                print(
                    f"pilot {found['pilot_s']} s; psa --draws 10000 {found['psa_10k_s']} s "
                    f"(ratio {found['psa_10k_over_pilot']}); --draws 100000 {found['psa_100k_s']} s"
                )
            return
        results = startup(runner, repeats, options.parts)
        results["scale"] = table = scale(runner, sizes, repeats, folder)
    if 100000 in table:
        big, small = table[100000], table[10000]
        seconds = big["compare"]["seconds"]
        results["growth_100k_over_10k"] = round(seconds / small["compare"]["seconds"], 2)
        results["compare_over_parse_100k"] = round(seconds / big["parse"]["seconds"], 2)
    if options.json:
        print(json.dumps(results, indent=2))
        return
    report(results)


def report(results: dict[str, object]) -> None:
    print(
        f"start-up: import floor {results['startup_floor_s']} s; compare --format json "
        f"{results['startup_compare_s']} s (ratio {results['startup_ratio']}); table "
        f"{results['startup_table_s']} s (ratio {results['startup_ratio_table']})"
    )
    for part, share in dict(results.get("parts_over_floor", {})).items():  # type: ignore[call-overload]
        print(f"  {part}: {share:+.2f} of the floor on top of it")
    if "startup_ratio_to_models" in results:
        print(
            "  against the floor with one pydantic model: compare --format json "
            f"{results['startup_ratio_to_models']}, table {results['startup_ratio_table_to_models']}"
        )
    table: dict[int, Any] = results["scale"]  # type: ignore[assignment]
    if table:
        print(f"{'services':>9} {'parse s':>8} {'validate s':>10} {'compare s':>9} {'MiB':>6}")
    for size, row in table.items():
        print(
            f"{size:>9} {row['parse']['seconds']:>8} {row['validate']['seconds']:>10} "
            f"{row['compare']['seconds']:>9} {row['compare']['peak_mib']:>6}"
        )
    for key in ("growth_100k_over_10k", "compare_over_parse_100k"):
        if key in results:
            print(f"{key}: {results[key]}")


if __name__ == "__main__":
    main()
