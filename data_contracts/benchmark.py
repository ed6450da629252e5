"""Measure what validating a snapshot costs: GE suites (data_contracts) and the quarantine engine (schema_check).

    python -m data_contracts.benchmark /tmp/snap100k [year]

Prints rows, seconds and peak RSS for: check_structure, the 13 GE suites on
all rows (DuckDB via SQLAlchemy), and find_violations (DuckDB SQL).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


from jflh import pipeline, schema_check


def main(snapshot: Path, year: int = 2026) -> None:
    t = time.perf_counter()
    paths = schema_check.check_structure(snapshot)
    rows = {k: v["rows"] for k, v in pipeline.fingerprint(schema_check.locate(snapshot)).items()}
    print(f"structure + fingerprint: {time.perf_counter() - t:.1f} s; rows: {rows}")
    t = time.perf_counter()
    from data_contracts import runner  # noqa: PLC0415 - GE import timed separately
    import great_expectations  # noqa: F401, PLC0415
    print(f"import great_expectations: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    with runner.Contracts(paths, year) as contracts:
        result = contracts.validate_all()
    ge = time.perf_counter() - t
    print(f"GE suites: {ge:.1f} s, {result.expectations()} expectations, {len(result.failures)} failed; "
          f"per extract {result.seconds}")
    con = pipeline.connect()
    t = time.perf_counter()
    schema_check.register(con, paths)
    schema_check.find_violations(con, year)
    n = con.sql("select count(*) from violations").fetchall()[0][0]
    print(f"find_violations: {time.perf_counter() - t:.1f} s, {n} violation rows")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    con.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
