"""Bind one year's parameters into a DuckDB connection (rules: every number).

Scalars and lists become DuckDB variables named after the `Params` fields
(read in SQL with `getvariable('name')`); the education table, the award
catalogue and the rank intervals become tables. No rule number is written in
SQL or Python: they all come from `parameters/<year>.yaml`.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from jflh.params import Params
from transforms import SQL_DIR

_TABLE_FIELDS = {"education_table", "rank_intervals", "award_catalogue", "source"}


def variables(params: Params, quota: int | None = None) -> dict[str, object]:
    """Every scalar parameter, plus the month universe and the effective quota."""
    values = {
        f.name: getattr(params, f.name)
        for f in dataclasses.fields(params)
        if f.name not in _TABLE_FIELDS
    }
    values.update(
        reference_month=params.reference_month,
        universe_first=params.employment_start,
        universe_last=params.reference_month,
        universe_size=params.reference_month - params.employment_start + 1,
        quota=params.quota if quota is None else quota,
    )
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def bind(con: duckdb.DuckDBPyConnection, params: Params, quota: int | None = None) -> None:
    """Set the variables and create the parameter tables."""
    for name, value in variables(params, quota).items():
        con.execute(f"set variable {name} = ?", [value])
    con.register("_education_table", pa.table({
        "level": [r.level for r in params.education_table],
        "degree": [r.degree for r in params.education_table],
        "points_units": pa.array([r.points_units for r in params.education_table], pa.int64()),
        "deduction_years": pa.array([r.deduction_years for r in params.education_table], pa.int64()),
    }))
    awards = params.award_points()
    con.register("_award_catalogue", pa.table({
        "code": list(awards), "points_units": pa.array(list(awards.values()), pa.int64()),
    }))
    con.register("_rank_intervals", pa.table({
        "position": pa.array(range(len(params.rank_intervals)), pa.int64()),
        "label": [i.label for i in params.rank_intervals],
        "rank_from": pa.array([i.rank_from for i in params.rank_intervals], pa.int64()),
        "rank_to": pa.array([i.rank_to for i in params.rank_intervals], pa.int64()),
    }))
    for table in ("education_table", "award_catalogue", "rank_intervals"):
        con.execute(f"create or replace table {table} as select * from _{table}")
        con.unregister(f"_{table}")


def referenced_variables(sql_dir: Path = SQL_DIR) -> set[str]:
    """Names of every getvariable('…') in the SQL models (a missing one reads as NULL)."""
    pattern = re.compile(r"getvariable\('([a-z0-9_]+)'\)")
    return {m for path in sql_dir.glob("*.sql") for m in pattern.findall(path.read_text())}
