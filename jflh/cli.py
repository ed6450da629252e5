"""The `jflh` command line (outputs.md, "Command line")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Beijing points-based household registration (积分落户): score, rank and publish.",
    no_args_is_help=True,
    add_completion=False,
)

EXIT_CONTRACT = 2  # a missing extract or column, a wrong type, a bad parameter file
EXIT_REFUSED = 3  # a final run on unreviewed or partial data (rules §5)


@app.command()
def run(
    extracts: Annotated[Path, typer.Option(help="Snapshot directory holding the thirteen extracts.")],
    out: Annotated[Path, typer.Option(help="Results directory; outputs are replaced atomically.")],
    year: Annotated[int, typer.Option(help="Declaration year (申报年度); selects parameters/<year>.yaml.")] = 2026,
    mode: Annotated[str, typer.Option(help="nightly (provisional, 每日刷新) or final (binding, 年度最终积分).")] = "nightly",
    quota: Annotated[int | None, typer.Option(help="What-if quota replacing the year's (rank intervals stay).")] = None,
) -> None:
    """Score one snapshot: eligibility, nine indicators, ranking, quota, bands (and the roster in final mode)."""
    from jflh import pipeline, report
    from jflh.params import ParameterError
    from jflh.schema_check import ContractError

    try:
        job = pipeline.run(extracts, out, year, mode, quota)
    except (ContractError, ParameterError) as error:
        report.error(str(error))
        raise typer.Exit(EXIT_CONTRACT) from None
    except pipeline.RunRefused as error:
        report.error(str(error))
        raise typer.Exit(EXIT_REFUSED) from None
    report.summary(job)


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
