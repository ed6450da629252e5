"""The `jflh` command line (outputs.md, "Command line")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from enum import Enum

import typer

app = typer.Typer(
    help="Beijing points-based household registration (积分落户): score, rank and publish.",
    no_args_is_help=True,
    add_completion=False,
)

class Mode(str, Enum):
    nightly = "nightly"
    final = "final"


EXIT_CONTRACT = 2  # a missing extract or column, a wrong type, a bad parameter file
EXIT_REFUSED = 3  # a final run on unreviewed or partial data (rules §5)


@app.command()
def run(
    extracts: Annotated[Path, typer.Option(help="Snapshot directory holding the thirteen extracts.")],
    out: Annotated[Path, typer.Option(help="Results directory; outputs are replaced atomically.")],
    year: Annotated[int, typer.Option(help="Declaration year (申报年度); selects parameters/<year>.yaml.")] = 2026,
    mode: Annotated[Mode, typer.Option(help="nightly (provisional, 每日刷新) or final (binding, 年度最终积分).")] = Mode.nightly,
    quota: Annotated[int | None, typer.Option(min=1, help="What-if quota replacing the year's (rank intervals stay).")] = None,
) -> None:
    """Score one snapshot: eligibility, nine indicators, ranking, quota, bands (and the roster in final mode)."""
    from flows.scoring import score_snapshot
    from jflh import pipeline, report
    from jflh.params import ParameterError
    from jflh.schema_check import ContractError

    try:
        job = score_snapshot(extracts, out, year, mode.value, quota)
    except (ContractError, ParameterError) as error:
        report.error(str(error))
        raise typer.Exit(EXIT_CONTRACT) from None
    except pipeline.RunRefused as error:
        report.error(str(error))
        raise typer.Exit(EXIT_REFUSED) from None
    report.summary(job)


@app.command()
def serve(
    snapshots: Annotated[Path, typer.Option(help="Directory of snapshots, one subdirectory per date (YYYY-MM-DD).")],
    results: Annotated[Path, typer.Option(help="Results directory the nightly runs publish into.")],
    cron: Annotated[str, typer.Option(help="Cron schedule of the nightly refresh.")] = "0 2 * * *",
    timezone: Annotated[str, typer.Option(help="Time zone of the cron schedule.")] = "Asia/Shanghai",
    year: Annotated[int | None, typer.Option(help="Declaration year; default: the newest snapshot's year.")] = None,
) -> None:
    """Serve the nightly refresh as a Prefect deployment (needs PREFECT_API_URL; see docs/operations.md)."""
    from flows.serve import serve as serve_deployment

    serve_deployment(snapshots, results, cron=cron, timezone=timezone, year=year)


@app.command()
def generate(
    year: Annotated[int, typer.Option(help="Declaration year (申报年度).")] = 2026,
    applicants: Annotated[int, typer.Option(help="Number of applicants.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same bytes.")] = 1,
    out: Annotated[Path, typer.Option(help="Snapshot directory to write.")] = Path("snapshot"),
) -> None:
    """Write a synthetic, realistic snapshot of the thirteen extracts (extracts.md)."""
    from jflh.generate import generate_snapshot

    generate_snapshot(year=year, applicants=applicants, seed=seed, out=out)


if __name__ == "__main__":
    app()
