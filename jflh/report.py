"""What `jflh run` prints: a short summary with the band table, or the error."""

from __future__ import annotations

import sys

import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from jflh.pipeline import Run


def error(message: str) -> None:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


def summary(job: Run) -> None:
    console = Console()
    s = job.summary
    console.print(
        f"[bold]{job.mode} run {job.run_id}[/] (year {job.year}, parameters {job.params.version})\n"
        f"applicants {s['applicants']:,}  ranked {s['ranked']:,}  admitted {s['admitted']:,}"
        f" (quota {s['quota']:,})  cutoff {s['cutoff_points'] or '—'} points"
        f"  quarantined rows {s['rows']['quarantine']:,}",
        highlight=False,
    )
    bands = pq.read_table(job.out / "bands.parquet").to_pylist()
    table = Table(title="前6000名区间分数 / rank-interval score bands")
    for column in ("interval", "applicants", "max points", "min points"):
        table.add_column(column, justify="right")
    for band in bands:
        table.add_row(band["label"], f"{band['applicants']:,}",
                      str(band["max_points"] or "—"), str(band["min_points"] or "—"))
    console.print(table)
    console.print(f"outputs in {job.out} (timings: {sum(job.timings.values()):.1f} s)", highlight=False)
    sys.stdout.flush()
