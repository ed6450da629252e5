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
