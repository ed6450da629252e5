"""Benchmark `jflh run` against the floor: one plain DuckDB aggregate scan of social_insurance.

    python benchmarks/run_benchmark.py --applicants 100000 1000000 --work /tmp/jflh-bench

For each size: generates the snapshot (once, kept in --work), runs `jflh run`
in a child process measuring wall time and peak RSS, times the baseline scan
(`group by applicant_id, insurance_type` with count and max) in another child,
and prints one markdown table row per size with the ratio. Nothing here is a
test: figures go to docs/benchmarks.md with the machine they were taken on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASELINE = """
import duckdb, sys, time
con = duckdb.connect()
con.execute("set memory_limit = '12GB'")
con.execute("set enable_progress_bar = false")
start = time.perf_counter()
con.execute("select count(*) from (select applicant_id, insurance_type, count(*), max(month)"
            " from read_parquet(?) group by all)", [sys.argv[1]]).fetchall()
print(time.perf_counter() - start)
"""


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in GB of this one child (os.wait4), and its stdout."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stdout = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed")
    return wall, usage.ru_maxrss / 1024 / 1024, stdout


def du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e9


def bench(applicants: int, work: Path, seed: int) -> dict:
    snapshot = work / f"snapshot-{applicants}"
    if not (snapshot / "applicants.parquet").exists():
        shutil.rmtree(snapshot, ignore_errors=True)
        gen_wall, gen_peak, _ = timed(["jflh", "generate", "--year", "2026", "--applicants",
                                      str(applicants), "--seed", str(seed), "--out", str(snapshot)])
    else:
        gen_wall, gen_peak = float("nan"), float("nan")
    out = work / f"out-{applicants}"
    shutil.rmtree(out, ignore_errors=True)
    run_wall, run_rss, _ = timed(["jflh", "run", "--year", "2026", "--extracts", str(snapshot),
                                  "--out", str(out)])
    manifest = json.loads((out / "manifest.json").read_text())
    glob = str(snapshot / "social_insurance" / "*.parquet")
    _, _, scan = timed([sys.executable, "-c", BASELINE, glob])
    return {
        "applicants": applicants,
        "si_rows": manifest["inputs"]["social_insurance"]["rows"],
        "snapshot_gb": round(du(snapshot), 2),
        "generate_s": round(gen_wall, 1),
        "generate_peak_gb": round(gen_peak, 2),
        "run_s": round(run_wall, 1),
        "run_peak_gb": round(run_rss, 2),
        "baseline_scan_s": round(float(scan.split()[-1]), 1),
        "ratio": round(run_wall / float(scan.split()[-1]), 2),
        "steps_s": manifest["timings_seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/jflh-bench"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"python {platform.python_version()}")
    for n in args.applicants:
        print(json.dumps(bench(n, args.work, args.seed)), flush=True)


if __name__ == "__main__":
    main()
