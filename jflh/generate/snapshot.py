"""Chunk loop and Parquet writing of the generator (deterministic bytes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from jflh.extracts import BY_NAME, EXTRACTS
from jflh.generate import tables
from jflh.generate.scenarios import plant_scenarios
from jflh.generate.world import Context, draw_world

CHUNK = 20_000  # applicants per chunk (fixed: part of what a seed means)
MAX_APPLICANTS = 1_860_000  # ID numbers are unique by construction up to here (common.id_numbers)
ROW_GROUP = 1_000_000
WRITE_OPTIONS = dict(compression="zstd", compression_level=3, use_dictionary=True,
                     write_statistics=True, version="2.6")


def generate_snapshot(year: int, applicants: int, seed: int, out: Path) -> None:
    """Write a snapshot of `applicants` applicants for declaration year `year`
    into directory `out` (replacing the thirteen extracts there)."""
    if not 0 <= applicants <= MAX_APPLICANTS:
        raise ValueError(f"applicants must be between 0 and {MAX_APPLICANTS:,}, got {applicants:,}")
    out = Path(out)
    ctx = Context.build(year, seed)
    prepare(out)
    writers = {name: pq.ParquetWriter(out / f"{name}.parquet", BY_NAME[name].arrow_schema(), **WRITE_OPTIONS)
               for name in tables.SMALL}
    try:
        for chunk, first in enumerate(range(0, applicants, CHUNK)):
            gidx = np.arange(first, min(first + CHUNK, applicants), dtype=np.int64)
            write_chunk(ctx, seed, chunk, gidx, out, writers)
        if applicants <= 0:
            write_part(out, 0, BY_NAME["social_insurance"].arrow_schema().empty_table())
    finally:
        for writer in writers.values():
            writer.close()


def prepare(out: Path) -> None:
    """Create `out`, removing any previous output of the thirteen extracts."""
    out.mkdir(parents=True, exist_ok=True)
    for extract in EXTRACTS:
        shutil.rmtree(out / extract.name, ignore_errors=True)
        (out / f"{extract.name}.parquet").unlink(missing_ok=True)
    (out / "social_insurance").mkdir()


def write_chunk(ctx: Context, seed: int, chunk: int, gidx: np.ndarray, out: Path, writers: dict) -> None:
    """Draw one chunk, plant its scenarios, write all its rows."""
    rng = np.random.default_rng([seed, 0, chunk])
    world = draw_world(ctx, gidx, rng)
    plant_scenarios(world)
    for name, build in tables.SMALL.items():
        writers[name].write_table(build(world), row_group_size=ROW_GROUP)
    write_part(out, chunk, tables.social_insurance(world))


def write_part(out: Path, chunk: int, table) -> None:
    pq.write_table(table, out / "social_insurance" / f"part-{chunk:05d}.parquet",
                   row_group_size=ROW_GROUP, **WRITE_OPTIONS)
