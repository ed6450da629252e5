"""The nightly refresh as a scheduled Prefect deployment (`jflh serve`).

Every night (default 02:00 Asia/Shanghai) the flow `jflh-nightly-refresh`
scores the newest snapshot of a snapshots directory — one subdirectory per
date, named `YYYY-MM-DD` (or `YYYYMMDD`) — into a results directory with the
`nightly` flow, then keeps that run's band table as
`<results>/bands_history/<snapshot date>__<run id>.parquet` (the band columns
plus `run_id`, `snapshot_date`, `year`, `scored_at`), so analysts can follow
the cutoff through the declaration window:

    select snapshot_date, label, min_points from read_parquet('results/bands_history/*.parquet')

The history lives beside the published outputs, not inside a run directory,
because runs are pruned (`jflh.publish.KEEP_RUNS`) and the history must not be.

Prefect's scheduler runs only in a Prefect server, not in the temporary
in-process one: `serve` needs `PREFECT_API_URL` (see docs/operations.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import flows  # noqa: F401 - Prefect environment defaults, before prefect is imported
import pyarrow as pa
import pyarrow.parquet as pq
from prefect import flow, get_run_logger, task
from prefect.schedules import Cron

from flows.scoring import io_task, nightly
from jflh import publish as publisher
from jflh.pipeline import Run

DEFAULT_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEPLOYMENT_NAME = "nightly-refresh"
HISTORY_DIR = "bands_history"
SNAPSHOT_NAME = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def snapshot_date(path: Path) -> dt.date | None:
    """The date a snapshot subdirectory is named after, or None."""
    m = SNAPSHOT_NAME.match(path.name)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def newest_snapshot(snapshots: Path) -> tuple[Path, dt.date]:
    """The subdirectory of `snapshots` with the latest date in its name."""
    dated = [(d, p) for p in Path(snapshots).iterdir() if p.is_dir() and (d := snapshot_date(p))]
    if not dated:
        raise FileNotFoundError(f"no snapshot in {snapshots}: expected subdirectories named YYYY-MM-DD")
    day, path = max(dated)
    return path, day


@task(name="find-newest-snapshot", **io_task)
def find_newest_snapshot(snapshots: Path) -> tuple[Path, dt.date]:
    path, day = newest_snapshot(snapshots)
    get_run_logger().info("newest snapshot in %s: %s (%s)", snapshots, path.name, day)
    return path, day


@task(name="keep-bands", **io_task)
def keep_bands(run: Run, day: dt.date) -> Path:
    """Copy the published run's band table into the results' band history."""
    current = publisher.current_run_dir(run.out)
    if current is None:  # pragma: no cover - publish just succeeded
        raise FileNotFoundError(f"{run.out} has no current run")
    bands = pq.read_table(current / "bands.parquet")
    n = bands.num_rows
    extra = {
        "run_id": pa.array([run.run_id] * n, pa.string()),
        "snapshot_date": pa.array([day] * n, pa.date32()),
        "year": pa.array([run.year] * n, pa.int32()),
        "scored_at": pa.array([dt.datetime.fromisoformat(run.started_at)] * n, pa.timestamp("us", tz="UTC")),
    }
    for i, (name, column) in enumerate(extra.items()):
        bands = bands.add_column(i, name, column)
    history = run.out / HISTORY_DIR
    history.mkdir(parents=True, exist_ok=True)
    target = history / f"{day.isoformat()}__{run.run_id}.parquet"
    tmp = target.with_name(f".{target.name}.tmp")
    pq.write_table(bands, tmp)
    os.replace(tmp, target)
    get_run_logger().info("kept band table of %s (%d intervals) as %s", run.run_id, n, target)
    return target


@flow(name="jflh-nightly-refresh", validate_parameters=True)
def nightly_refresh(snapshots: str, results: str, year: int | None = None,
                    quota: int | None = None) -> str:
    """Score the newest snapshot with the nightly flow and keep its band table.

    Args:
        snapshots: directory with one subdirectory per snapshot date (YYYY-MM-DD).
        results: the `--out` directory of the nightly runs.
        year: declaration year; default the year of the snapshot's date.
        quota: what-if quota (normally unset).
    """
    path, day = find_newest_snapshot(Path(snapshots))
    run = nightly(path, Path(results), year or day.year, quota)
    keep_bands(run, day)
    return run.run_id


def build_deployment(snapshots: Path, results: Path, cron: str = DEFAULT_CRON,
                     timezone: str = DEFAULT_TIMEZONE, year: int | None = None,
                     name: str = DEPLOYMENT_NAME):  # -> prefect.deployments.runner.RunnerDeployment
    """The nightly refresh as a deployment with a cron schedule in `timezone`."""
    ZoneInfo(timezone)  # an unknown zone fails here, not at 02:00
    parameters: dict = {"snapshots": str(Path(snapshots).resolve()), "results": str(Path(results).resolve())}
    if year is not None:
        parameters["year"] = year
    return nightly_refresh.to_deployment(
        name=name,
        schedule=Cron(cron, timezone=timezone),
        parameters=parameters,
        description=f"jflh nightly refresh: newest snapshot of {parameters['snapshots']} "
                    f"-> {parameters['results']} at '{cron}' ({timezone})",
        tags=["jflh", "nightly"],
    )


def serve(snapshots: Path, results: Path, cron: str = DEFAULT_CRON, timezone: str = DEFAULT_TIMEZONE,
          year: int | None = None) -> None:
    """`jflh serve`: register the deployment and run its scheduled flow runs until stopped."""
    from prefect import serve as prefect_serve
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise RuntimeError(
            "jflh serve needs a Prefect server (the temporary in-process one has no scheduler): "
            "start one with `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api")
    if not Path(snapshots).is_dir():
        raise FileNotFoundError(f"snapshots directory {snapshots} does not exist")
    prefect_serve(build_deployment(snapshots, results, cron, timezone, year))
