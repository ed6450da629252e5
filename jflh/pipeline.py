"""The steps of one scoring run (`jflh run`), as plain functions.

`flows/` wires these into Prefect flows; tests call them directly. Each step
does one thing: read and check the extracts, compute the rules (`transforms/`,
`sql/`), refuse a final run on unreviewed data, write the outputs into a
private directory, publish them atomically (`jflh.publish`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

import transforms
from jflh import params as parameters
from jflh import publish, schema_check, settings
from jflh.extracts import BY_NAME, CLAIM_EXTRACTS, EXTRACTS
from transforms import parameters as bind_parameters

MODES = ("nightly", "final")
ROSTER_HEADERS = {
    "rank": "排名", "name": "姓名", "birth_month": "出生年月", "employer_name": "单位名称",
    "employment_points": "合法稳定就业", "residence_points": "合法稳定住所",
    "education_points": "教育背景", "education_deduction_points": "取得学历期间扣减",
    "area_points": "职住区域", "innovation_points": "创新创业", "tax_points": "纳税",
    "tax_penalty_points": "涉税违法", "age_points": "年龄", "honors_points": "荣誉表彰",
    "law_penalty_points": "守法记录", "total_points": "总积分",
}
SAMPLE = 5  # applicants and records named in a refusal message


class RunRefused(RuntimeError):
    """A final run on unreviewed or partial data (rules §5)."""


@dataclass
class Run:
    """One run's inputs, state and bookkeeping."""

    extracts: Path
    out: Path
    year: int
    mode: str = "nightly"
    quota: int | None = None
    run_id: str = ""
    params: parameters.Params | None = None
    paths: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, dict] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)
    started_at: str = ""
    validation: dict = field(default_factory=dict)  # data-contract report paths (flows/)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


def start(extracts: Path, out: Path, year: int, mode: str = "nightly",
          quota: int | None = None) -> Run:
    """Check the request and the extracts' structure; nothing is written yet."""
    if mode not in MODES:
        raise ValueError(f"--mode must be one of {MODES}, not {mode!r}")
    if quota is not None and quota < 1:
        raise ValueError(f"--quota must be a positive number of applicants, not {quota}")
    now = dt.datetime.now(dt.timezone.utc)
    run = Run(Path(extracts), Path(out), year, mode, quota, started_at=now.isoformat(timespec="seconds"))
    with run.step("check_structure"):
        run.params = parameters.load(year)
        run.paths = schema_check.check_structure(run.extracts)
    with run.step("fingerprint"):
        run.inputs = fingerprint(run.paths)
    digest = hashlib.sha256(json.dumps(run.inputs, sort_keys=True).encode()).hexdigest()[:8]
    # time (sorts runs), mode, inputs' digest, and a random part: two runs in one second differ
    run.run_id = f"{now:%Y%m%dT%H%M%SZ}-{mode}-{digest}-{uuid.uuid4().hex[:6]}"
    return run


def fingerprint(paths: dict[str, str]) -> dict[str, dict]:
    """sha256 and row count of every located extract (all files of a split one, in name order)."""
    result = {}
    for extract in EXTRACTS:
        files = schema_check.files(paths[extract.name])
        digest = hashlib.sha256()
        rows = 0
        for path in files:
            digest.update(path.name.encode())
            with path.open("rb") as f:
                for block in iter(lambda: f.read(1 << 22), b""):
                    digest.update(block)
            rows += pq.ParquetFile(path).metadata.num_rows
        result[extract.name] = {"sha256": digest.hexdigest(), "rows": rows, "files": len(files)}
    return result


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the runtime limits of `jflh.settings`."""
    con = duckdb.connect()
    for name, value in settings.duckdb_settings().items():
        con.execute(f"set {name} = ?", [value])
    return con


def validate(run: Run, con: duckdb.DuckDBPyConnection) -> None:
    """Register the extracts, find row-level violations, expose clean views (extracts.md)."""
    with run.step("validate"):
        schema_check.register(con, run.paths)
        schema_check.find_violations(con, run.year)
        quarantined = dict(con.sql(
            "select extract, count(distinct (_file, _row)) from violations group by extract"
        ).fetchall())
        for extract in EXTRACTS:
            columns = ", ".join(extract.column_names)
            rows = quarantined.get(extract.name, 0)
            source = f"raw_{extract.name}"
            if rows:
                source += (" as r where not exists (select 1 from violations as v"
                           " where v._file = r._file and v._row = r._row)")
            con.execute(f"create or replace view stg_{extract.name} as select {columns} from {source}")
            run.inputs[extract.name].update(quarantined=rows, used=run.inputs[extract.name]["rows"] - rows)


def score(run: Run, con: duckdb.DuckDBPyConnection) -> None:
    """Every rule of rules.md, as the SQL models of `transforms`."""
    indicators(run, con)
    rank(run, con)


def indicators(run: Run, con: duckdb.DuckDBPyConnection) -> None:
    """Eligibility, completeness and the indicators (first half of `score`)."""
    assert run.params is not None
    bind_parameters.bind(con, run.params, run.quota)
    transforms.install_macros(con)
    for model in (transforms.INSURANCE_MONTHS, transforms.RESIDENCE_MONTHS):
        with run.step(model.name):
            model.apply(con)
    with run.step("indicators"):
        for model in transforms.INDICATORS:
            model.apply(con)


def rank(run: Run, con: duckdb.DuckDBPyConnection) -> None:
    """Ranking, quota, bands and (final mode) the roster (second half of `score`)."""
    with run.step("ranking"):
        for model in transforms.RANKING:
            model.apply(con)
        if run.mode == "final":
            transforms.ROSTER.apply(con)


def refuse_unreviewed(run: Run, con: duckdb.DuckDBPyConnection) -> None:
    """Final mode only: refuse on incomplete candidates or quarantined rows (rules §5)."""
    if run.mode != "final":
        return
    incomplete = con.sql(
        "select s.applicant_id from scores_base as s join stg_applicants as a using (applicant_id)"
        " where a.status = 'submitted' and a.employer_confirmed and s.eligible and not s.complete"
        " order by s.applicant_id"
    ).fetchall()
    quarantined = con.sql(
        "select extract, rule, row_key from violations order by extract, rule, row_key"
    ).fetchall()
    problems = []
    if incomplete:
        sample = [r[0] for r in incomplete[:SAMPLE]]
        problems.append(f"{len(incomplete)} submitted, employer-confirmed, eligible applicants are"
                        f" not complete, e.g. {', '.join(sample)} (pending: {pending_records(con, sample)})")
    if quarantined:
        sample = "; ".join(f"{e} {key} ({rule})" for e, rule, key in quarantined[:SAMPLE])
        problems.append(f"{len(quarantined)} rows are quarantined by the data contract, e.g. {sample}")
    if problems:
        raise RunRefused("final run refused (rules §5): " + " and ".join(problems)
                         + ". Nothing was written.")


def pending_records(con: duckdb.DuckDBPyConnection, applicant_ids: list[str]) -> str:
    """'extract key' of the pending claim and marriage records of some applicants (rules §2)."""
    queries = [f"select '{name} ' || {BY_NAME[name].key[0]} as record from stg_{name}"
               f" where verification = 'pending' and applicant_id in (select unnest(?::varchar[]))"
               for name in (*CLAIM_EXTRACTS, "marriages")]
    queries[-1] += (" and marriage_id in (select marriage_id from stg_property_claims"
                    " union select marriage_id from stg_lease_filings)")  # only linked ones count
    rows = con.execute(" union all ".join(queries) + f" order by record limit {SAMPLE}",
                       [applicant_ids] * len(queries)).fetchall()
    return ", ".join(r[0] for r in rows)


def write_outputs(run: Run, con: duckdb.DuckDBPyConnection, staging: Path) -> None:
    """Write every output file of outputs.md into the run's private directory."""
    with run.step("write"):
        tables = {name: con.sql(f"select * from {name}").to_arrow_table()
                  for name in ("scores", "bands")}
        tables["quarantine"] = quarantine_table(con)
        tables["roster"] = (con.sql("select * from roster").to_arrow_table()
                            if run.mode == "final" else empty_roster(con))
        for name in ("scores", "bands", "quarantine"):
            pq.write_table(tables[name], staging / f"{name}.parquet")
        if run.mode == "final":
            pq.write_table(tables["roster"], staging / "roster.parquet")
            write_roster_csv(tables["roster"], staging / "roster.csv")
        run.summary = summarise(run, con, tables)
        write_database(run, tables, staging / "results.duckdb")
    write_manifest(run, staging / "manifest.json")  # after the step, so its timing is included


def quarantine_table(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The rejected rows, with any ID number in the text masked (outputs.md: no raw IDs)."""
    return con.sql(
        "select extract, row_key, rule,"
        " regexp_replace(detail, '[0-9]{10,}([0-9]{4}|[0-9]{3}[Xx])', '**********\\1', 'g') as detail,"
        " applicant_id from violations order by extract, row_key, rule"
    ).to_arrow_table()


def empty_roster(con: duckdb.DuckDBPyConnection) -> pa.Table:
    sql = transforms.ROSTER.path.read_text(encoding="utf-8")
    return con.sql(f"select * from ({sql}) limit 0").to_arrow_table()


def write_roster_csv(roster: pa.Table, path: Path) -> None:
    """Chinese headers, UTF-8 with a BOM so spreadsheet programs read it (outputs.md)."""
    frame = pl.from_arrow(roster).rename(ROSTER_HEADERS)
    frame.write_csv(path, include_bom=True)


def summarise(run: Run, con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> dict:
    counts = con.sql(
        "select count(*), count(*) filter (where ranked), count(*) filter (where admitted),"
        " min(total_units) filter (where admitted), min(total_points) filter (where admitted)"
        " from scores"
    ).fetchall()[0]
    return {
        "applicants": counts[0], "ranked": counts[1], "admitted": counts[2],
        "cutoff_units": counts[3], "cutoff_points": None if counts[4] is None else str(counts[4]),
        "quota": run.quota or (run.params.quota if run.params else None),
        "rows": {name: table.num_rows for name, table in tables.items()},
    }


def write_database(run: Run, tables: dict[str, pa.Table], path: Path) -> None:
    """results.duckdb: this run's tables plus `runs`, carried over from the previous run."""
    previous = publish.current_run_dir(run.out)
    if previous and (previous / "results.duckdb").exists():
        shutil.copyfile(previous / "results.duckdb", path)  # streamed: the file grows with the pool
    db = duckdb.connect(str(path))
    try:
        for name, table in tables.items():
            db.register("incoming", table)
            db.execute(f"create or replace table {name} as select * from incoming")
            db.unregister("incoming")
        db.execute(
            "create table if not exists runs (run_id varchar primary key, year integer,"
            " mode varchar, started_at timestamptz, parameters_version varchar, quota bigint,"
            " inputs json, applicants bigint, ranked bigint, admitted bigint,"
            " cutoff_units bigint, cutoff_points decimal(18,2))"
        )
        db.execute(
            "insert into runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run.run_id, run.year, run.mode, run.started_at, run.params.version,
             run.summary["quota"], json.dumps(run.inputs), run.summary["applicants"],
             run.summary["ranked"], run.summary["admitted"], run.summary["cutoff_units"],
             run.summary["cutoff_points"]],
        )
    finally:
        db.close()


def write_manifest(run: Run, path: Path) -> None:
    assert run.params is not None
    manifest = {
        "run_id": run.run_id,
        "year": run.year,
        "mode": run.mode,
        "started_at": run.started_at,
        "parameters": {"version": run.params.version, "file": run.params.source.name,
                       "sha256": hashlib.sha256(run.params.source.read_bytes()).hexdigest()},
        "quota": run.summary["quota"],
        "inputs": run.inputs,
        "outputs": run.summary["rows"],
        "applicants": run.summary["applicants"],
        "ranked": run.summary["ranked"],
        "admitted": run.summary["admitted"],
        "cutoff_units": run.summary["cutoff_units"],
        "cutoff_points": run.summary["cutoff_points"],
        "timings_seconds": run.timings,
        "validation": run.validation,
    }
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def run(extracts: Path, out: Path, year: int, mode: str = "nightly",
        quota: int | None = None) -> Run:
    """Score one snapshot and publish its outputs atomically, without Prefect.

    The same steps as `flows.scoring` (which `jflh run` uses) minus the Great
    Expectations report: for tests and for embedding in other programs."""
    job = start(extracts, out, year, mode, quota)
    con = connect()
    try:
        validate(job, con)
        score(job, con)
        refuse_unreviewed(job, con)
        job.out.mkdir(parents=True, exist_ok=True)
        staging = publish.new_run_dir(job.out, job.run_id)
        try:
            write_outputs(job, con, staging)
            publish.publish(job.out, staging)
        except BaseException:
            publish.discard(staging)
            raise
    finally:
        con.close()
    return job
