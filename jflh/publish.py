"""Atomic publication of a run's outputs under `--out` (outputs.md).

Each run writes into its own directory `runs/<run_id>/`. Publishing swaps one
symlink, `current`, to it with a single rename, so readers see either the whole
previous run or the whole new one. The stable names analysts use
(`scores.parquet`, `results.duckdb`, …) are symlinks through `current`. A run
that fails before the swap leaves `--out` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

OUTPUT_FILES = (
    "scores.parquet", "bands.parquet", "roster.parquet", "roster.csv",
    "quarantine.parquet", "results.duckdb", "manifest.json", "validation",
)
RUNS_DIR = "runs"
CURRENT = "current"
KEEP_RUNS = 3  # the current run and two before it, for readers still holding files


def new_run_dir(out: Path, run_id: str) -> Path:
    """An empty, private directory for one run's outputs."""
    staging = out / RUNS_DIR / f".{run_id}.partial"
    staging.mkdir(parents=True, exist_ok=False)
    return staging


def current_run_dir(out: Path) -> Path | None:
    """The published run's directory, or None before the first run."""
    link = out / CURRENT
    return link.resolve() if link.is_symlink() else None


def publish(out: Path, staging: Path) -> Path:
    """Make the staged run the current one, atomically; return its directory."""
    final = staging.with_name(staging.name.removeprefix(".").removesuffix(".partial"))
    staging.rename(final)
    tmp_link = out / f".{CURRENT}.tmp"
    if tmp_link.is_symlink():
        tmp_link.unlink()
    tmp_link.symlink_to(Path(RUNS_DIR) / final.name)
    os.replace(tmp_link, out / CURRENT)  # the atomic step
    _link_stable_names(out, final)
    _prune(out / RUNS_DIR, keep=final)
    return final


def discard(staging: Path) -> None:
    """Remove a failed run's partial outputs."""
    shutil.rmtree(staging, ignore_errors=True)


def _link_stable_names(out: Path, run_dir: Path) -> None:
    for name in OUTPUT_FILES:
        link = out / name
        if (run_dir / name).exists():
            if not link.is_symlink():
                if link.exists():
                    raise FileExistsError(f"{link} exists and is not a jflh link; refusing to replace it")
                link.symlink_to(Path(CURRENT) / name)
        elif link.is_symlink():
            link.unlink()  # e.g. no roster in a nightly run after a final one


def _prune(runs: Path, keep: Path) -> None:
    finished = sorted((p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")),
                      key=lambda p: p.name)
    for old in finished[:-KEEP_RUNS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
