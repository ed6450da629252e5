"""Validate a snapshot against the GE suites, on the full data, inside DuckDB.

Great Expectations 1.x runs through SQLAlchemy (`duckdb-engine`) on a
throw-away DuckDB database file that holds only views over the snapshot's
Parquet files (`schema_check.register`: the spec columns plus `_file`, `_row`).
Every expectation becomes SQL that DuckDB runs over all rows (no sampling, no
pandas); failing rows are identified by (`_file`, `_row`), the same row
identity as the quarantine table `violations`.

Two known GE-on-DuckDB problems are worked around here
(../shared/notes/stack-findings.md): GE reads results after closing its
connection (GE issue #11579) — fixed by keeping one open connection per engine
for the duckdb dialect (`_keep_duckdb_connection`); regex expectations have no
duckdb implementation — the suites use `unexpected_rows_expectation` with
`regexp_full_match` instead.

    with Contracts(paths, year) as contracts:
        for name in contracts.extracts:
            contracts.validate(name)
    result = contracts.result        # ContractResult
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from data_contracts.build import DOCUMENTED_RULES, GE_RULES, SUITES_DIR
from jflh import schema_check, settings
from jflh.extracts import EXTRACTS

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

PARTIAL_UNEXPECTED = 20  # failing rows (by _file, _row) kept per expectation in the results
RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "unexpected_index_column_names": ["_file", "_row"],
    "partial_unexpected_count": PARTIAL_UNEXPECTED,
    "return_unexpected_index_query": True,
}


def load_suite(name: str) -> dict:
    """The committed suite JSON of one extract."""
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def suite_parameters(year: int) -> dict[str, Any]:
    """Values of the suites' `$PARAMETER`s for declaration year `year`."""
    return {"last_day": f"{year}-12-31", "year": year, "award_codes": schema_check.award_codes(year)}


_patched = False


def _keep_duckdb_connection() -> None:
    """Keep one open connection per GE engine on DuckDB (GE issue #11579)."""
    global _patched
    if _patched:
        return
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see

    original = see.SqlAlchemyExecutionEngine.get_connection

    @contextlib.contextmanager
    def get_connection(self):  # type: ignore[no-untyped-def]
        if self.engine.dialect.name == "duckdb":
            if self._connection is None:
                self._connection = self.engine.connect()
            yield self._connection
        else:
            with original(self) as connection:
                yield connection

    see.SqlAlchemyExecutionEngine.get_connection = get_connection
    _patched = True


@dataclass
class ContractResult:
    """GE results of one snapshot: per extract, the raw GX result JSON and a
    flat list of the expectations that failed."""

    year: int
    results: dict[str, dict] = field(default_factory=dict)  # extract -> GX validation result JSON
    rows: dict[str, int] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        return not self.failures

    def expectations(self) -> int:
        return sum(len(r["results"]) for r in self.results.values())

    def by_rule(self) -> dict[tuple[str, str], int]:
        """(extract, rule) -> unexpected rows summed over the failed expectations."""
        out: dict[tuple[str, str], int] = {}
        for f in self.failures:
            key = (f["extract"], f["rule"])
            out[key] = out.get(key, 0) + (f["unexpected_count"] or 0)
        return out

    def failing_rows(self) -> set[tuple[str, str, str, int]]:
        """(extract, rule, _file, _row) of the failing rows GE listed (up to
        PARTIAL_UNEXPECTED per expectation)."""
        return {(f["extract"], f["rule"], r["_file"], int(r["_row"]))
                for f in self.failures for r in f["rows"]}


def _summarise(extract: str, result: dict) -> list[dict]:
    failures = []
    for r in result["results"]:
        if r["success"] and not r.get("exception_info", {}).get("raised_exception"):
            continue
        config = r["expectation_config"]
        meta = config.get("meta") or {}
        res = r.get("result") or {}
        count = res.get("unexpected_count")
        if count is None and isinstance(res.get("observed_value"), int):
            count = res["observed_value"]  # unexpected_rows_expectation: number of rows
        rows = [{"_file": x["_file"], "_row": x["_row"]} for x in res.get("partial_unexpected_index_list") or []]
        if not rows:
            rows = [{"_file": x["_file"], "_row": x["_row"]}
                    for x in (res.get("details") or {}).get("unexpected_rows") or [] if "_file" in x]
        exc = r.get("exception_info") or {}
        failures.append({
            "extract": extract,
            "rule": meta.get("rule", "?"),
            "expectation": config["type"],
            "column": config["kwargs"].get("column") or config["kwargs"].get("column_list") or meta.get("column"),
            "unexpected_count": count,
            "observed": res.get("observed_value") if count is None else None,
            "error": exc.get("exception_message") if exc.get("raised_exception") else None,
            "rows": rows[:PARTIAL_UNEXPECTED],
        })
    return failures


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


class Contracts:
    """One GE context over one snapshot's extracts (a context manager)."""

    def __init__(self, paths: dict[str, str], year: int, result_format: dict | None = None):
        self.paths = paths
        self.year = year
        self.result_format = result_format or RESULT_FORMAT
        self.result = ContractResult(year)
        self.extracts = [e.name for e in EXTRACTS]
        self._tmp = Path(tempfile.mkdtemp(prefix="jflh-contracts-"))
        self._db = self._tmp / "snapshot.duckdb"
        con = duckdb.connect(str(self._db))
        try:
            schema_check.register(con, paths)
        finally:
            con.close()
        self._context = None
        self._datasource = None
        self._parameters = suite_parameters(year)

    def __enter__(self) -> "Contracts":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ds(self):  # type: ignore[no-untyped-def]
        if self._datasource is None:
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            logging.getLogger("great_expectations").setLevel(logging.ERROR)
            _keep_duckdb_connection()
            self._context = gx.get_context(mode="ephemeral")
            self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
            config = {k: v for k, v in settings.duckdb_settings().items()}
            config["access_mode"] = "READ_ONLY"
            self._datasource = self._context.data_sources.add_sql(
                "snapshot", connection_string=f"duckdb:///{self._db}",
                kwargs={"connect_args": {"config": config}})
        return self._datasource

    def validate(self, name: str) -> list[dict]:
        """Run the suite of extract `name` over all its rows; return its failures."""
        import great_expectations as gx

        start = time.perf_counter()
        ds = self._ds()
        asset = ds.add_table_asset(name, table_name=f"raw_{name}")
        batch = asset.add_batch_definition_whole_table("all rows")
        spec = load_suite(name)
        suite = self._context.suites.add(gx.ExpectationSuite(
            name=spec["name"], expectations=spec["expectations"], meta=spec["meta"]))
        definition = self._context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite))
        result = definition.run(expectation_parameters=self._parameters, result_format=self.result_format)
        data = _jsonable(result.to_json_dict())
        self.result.results[name] = data
        failures = _summarise(name, data)
        self.result.failures.extend(failures)
        self.result.rows[name] = _element_count(data)
        self.result.seconds[name] = round(time.perf_counter() - start, 3)
        return failures

    def validate_all(self) -> ContractResult:
        for name in self.extracts:
            self.validate(name)
        return self.result

    def close(self) -> None:
        if self._datasource is not None:
            with contextlib.suppress(Exception):
                self._datasource.get_engine().dispose()
        self._datasource = None
        self._context = None
        shutil.rmtree(self._tmp, ignore_errors=True)


def _element_count(result: dict) -> int | None:
    for r in result["results"]:
        n = (r.get("result") or {}).get("element_count")
        if n is not None:
            return int(n)
    return None


def validate_snapshot(snapshot: Path, year: int) -> ContractResult:
    """check_structure + every suite on the full data (for scripts and benchmarks)."""
    paths = schema_check.check_structure(Path(snapshot))
    with Contracts(paths, year) as contracts:
        return contracts.validate_all()


# --------------------------------------------------------------------------
# Agreement with the quarantine (schema_check `violations`)
# --------------------------------------------------------------------------


def agreement(result: ContractResult, con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per (extract, rule): GE's unexpected rows next to the quarantine's.

    For the GE-expressible rules both must fail on the same (extract, rule)
    (`agrees`); for documented checks only the quarantine count is shown."""
    quarantine = {(e, r): n for e, r, n in con.sql(
        "select extract, rule, count(*) from violations group by all").fetchall()}
    ge = result.by_rule()
    rows = []
    for key in sorted(set(quarantine) | set(ge)):
        extract, rule = key
        if rule in GE_RULES or rule == "schema":
            q, g = quarantine.get(key, 0), ge.get(key, 0)
            rows.append({"extract": extract, "rule": rule, "kind": "expectation",
                         "ge_unexpected": g, "quarantined": q, "agrees": (q > 0) == (g > 0)})
        else:
            rows.append({"extract": extract, "rule": rule,
                         "kind": "documented" if rule in DOCUMENTED_RULES else "other",
                         "ge_unexpected": None, "quarantined": quarantine.get(key, 0), "agrees": True})
    return rows


def disagreements(rows: list[dict]) -> list[dict]:
    return [r for r in rows if not r["agrees"]]
