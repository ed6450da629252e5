"""`jflh run` as Prefect 3 flows: `nightly` (每日刷新) and `final` (年度最终积分), one set of tasks.

The flows only wire tasks; each task is one step of `jflh.pipeline` at an I/O
boundary or a unit worth seeing in the Prefect UI, and logs what it did with
row counts:

    check-structure        every extract present with its columns and types (else ContractError, nothing written)
    validate-<extract>     its Great Expectations suite on all rows (data_contracts/)
    quarantine             row-level violations -> `violations`; clean views; input = used + quarantined
    compute-indicators     eligibility, completeness, the indicators (rules §1-§3)
    rank                   ranking, quota, bands (§4); the roster in final mode
    refuse-unreviewed      final only: incomplete candidates or quarantined rows -> RunRefused (§5)
    write-outputs          outputs.md files + validation/results.json + validation/index.html, privately
    publish                atomic swap of `current` under --out

Tasks that read or write files retry on transient I/O errors (OSError and
DuckDB I/O errors) only: a contract error, a refusal or a bad parameter fails
at once. Tasks take the DuckDB connection and the `Run` record, so every task
uses `cache_policy=NO_CACHE` (hashing them would cost time and mean nothing).

Entry point for the CLI: `score_snapshot(extracts, out, year, mode, quota)`.
"""

from __future__ import annotations

from pathlib import Path

import flows  # noqa: F401 - Prefect environment defaults, before prefect is imported
import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from data_contracts import report as contract_report
from data_contracts import runner as contracts_runner
from jflh import pipeline, publish as publisher
from jflh.extracts import EXTRACTS
from jflh.pipeline import MODES, Run

VALIDATION_DIR = "validation"
RETRIES = 2
RETRY_DELAY_SECONDS = 3


def transient(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's retry_condition_fn signature
    """Retry only what may succeed next time: file-system and DuckDB I/O errors."""
    try:
        state.result()
    except (OSError, duckdb.IOException):
        return True
    except BaseException:  # noqa: BLE001 - contract errors, refusals, bugs: no retry
        return False
    return False


io_task = dict(retries=RETRIES, retry_delay_seconds=RETRY_DELAY_SECONDS, retry_condition_fn=transient,
               cache_policy=NO_CACHE)


@task(name="check-structure", **io_task)
def check_structure(extracts: Path, out: Path, year: int, mode: str, quota: int | None) -> Run:
    """Every extract present, with its columns and types; fingerprints (extracts.md)."""
    run = pipeline.start(extracts, out, year, mode, quota)
    logger = get_run_logger()
    logger.info("run %s: %s %d from %s, %d extracts, %s rows in all", run.run_id, mode, year, extracts,
                len(run.inputs), f"{sum(i['rows'] for i in run.inputs.values()):,}")
    for name, info in run.inputs.items():
        logger.info("  %-18s %12s rows in %d file(s)", name, f"{info['rows']:,}", info["files"])
    return run


@task(name="validate-extract", task_run_name="validate-{name}", **io_task)
def validate_extract(contracts: contracts_runner.Contracts, name: str) -> int:
    """The extract's GE suite on all its rows; returns the number of failed expectations."""
    failures = contracts.validate(name)
    result = contracts.result
    total = len(result.results[name]["results"])
    logger = get_run_logger()
    rows = result.rows.get(name)
    logger.info("%s: %s rows, %d/%d expectations passed (%.2f s)", name,
                "?" if rows is None else f"{rows:,}", total - len(failures), total, result.seconds[name])
    for f in failures:
        logger.warning("%s: %s %s on %s: %s rows", name, f["rule"], f["expectation"], f["column"],
                       f["unexpected_count"] if f["error"] is None else f"error {f['error']}")
    return len(failures)


@task(name="quarantine", **io_task)
def quarantine(run: Run, con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Row-level violations into `violations`; clean views; reconcile input = used + quarantined."""
    pipeline.validate(run, con)
    logger = get_run_logger()
    for name, info in run.inputs.items():
        if info["rows"] != info["used"] + info["quarantined"]:  # pragma: no cover - an engine bug
            raise RuntimeError(f"{name}: {info['rows']} input rows != {info['used']} used "
                               f"+ {info['quarantined']} quarantined")
        level = logger.warning if info["quarantined"] else logger.info
        level("%-18s %12s rows = %12s used + %s quarantined", name, f"{info['rows']:,}",
              f"{info['used']:,}", f"{info['quarantined']:,}")
    rules = con.sql("select extract, rule, count(*), count(distinct applicant_id) from violations"
                    " group by all order by all").fetchall()
    for extract, rule, rows, applicants in rules:
        logger.warning("quarantine: %s %s: %d rows, %d applicants flagged", extract, rule, rows, applicants)
    return run.inputs


@task(name="compute-indicators", cache_policy=NO_CACHE)
def compute_indicators(run: Run, con: duckdb.DuckDBPyConnection) -> None:
    """Eligibility (§1), completeness (§2) and the indicators (§3)."""
    pipeline.indicators(run, con)
    n, eligible = con.sql("select count(*), count(*) filter (where eligible) from eligibility").fetchall()[0]
    get_run_logger().info("indicators for %s applicants, %s eligible (§1)", f"{n:,}", f"{eligible:,}")


@task(name="rank", cache_policy=NO_CACHE)
def rank(run: Run, con: duckdb.DuckDBPyConnection) -> None:
    """Ranking, quota and bands (§4); the roster in final mode."""
    pipeline.rank(run, con)
    n, ranked, admitted, cutoff = con.sql(
        "select count(*), count(*) filter (where ranked), count(*) filter (where admitted),"
        " min(total_points) filter (where admitted) from scores").fetchall()[0]
    get_run_logger().info("%s applicants, %s ranked, %s admitted, cutoff %s points", f"{n:,}",
                          f"{ranked:,}", f"{admitted:,}", cutoff)


@task(name="refuse-unreviewed", cache_policy=NO_CACHE)
def refuse_unreviewed(run: Run, con: duckdb.DuckDBPyConnection,
                      agreement: list[dict]) -> None:
    """Final mode: refuse on incomplete candidates, quarantined rows or an unsure contract (§5)."""
    pipeline.refuse_unreviewed(run, con)
    bad = contracts_runner.disagreements(agreement)
    if bad:
        raise pipeline.RunRefused(
            "final run refused (rules §5): the data-contract suites and the quarantine disagree on "
            + ", ".join(f"{a['extract']} {a['rule']} (GE {a['ge_unexpected']} rows, quarantine "
                        f"{a['quarantined']})" for a in bad) + ". Nothing was written.")
    get_run_logger().info("final run: every candidate complete, nothing quarantined")


@task(name="write-outputs", **io_task)
def write_outputs(run: Run, con: duckdb.DuckDBPyConnection, contracts: contracts_runner.ContractResult,
                  agreement: list[dict]) -> Path:
    """All outputs, the validation results and their HTML page, into a private run directory."""
    run.out.mkdir(parents=True, exist_ok=True)
    staging = publisher.new_run_dir(run.out, run.run_id)
    try:
        run.validation = contract_report.write_report(
            contracts, agreement, staging / VALIDATION_DIR,
            {"run_id": run.run_id, "mode": run.mode, "year": run.year, "extracts": str(run.extracts)})
        pipeline.write_outputs(run, con, staging)
    except BaseException:
        publisher.discard(staging)  # a retry starts from an empty directory
        raise
    get_run_logger().info("wrote %s (scores %s rows, quarantine %s rows)", staging,
                          f"{run.summary['rows']['scores']:,}", f"{run.summary['rows']['quarantine']:,}")
    return staging


@task(name="publish", cache_policy=NO_CACHE)
def publish(run: Run, staging: Path) -> Path:
    """Make the run current under --out in one atomic rename (outputs.md)."""
    try:
        final = publisher.publish(run.out, staging)
    except BaseException:
        if staging.exists():
            publisher.discard(staging)
        raise
    get_run_logger().info("published %s as %s/current; validation report %s", run.run_id, run.out,
                          run.out / run.validation.get("report", ""))
    return final


def _summary_markdown(run: Run, contracts: contracts_runner.ContractResult) -> str:
    lines = [f"# jflh {run.mode} run {run.run_id}", "",
             f"Year {run.year}, snapshot `{run.extracts}`, published to `{run.out}`.", "",
             f"Applicants {run.summary.get('applicants')}, ranked {run.summary.get('ranked')}, "
             f"admitted {run.summary.get('admitted')}, cutoff {run.summary.get('cutoff_points')} points "
             f"(quota {run.summary.get('quota')}).", "",
             f"Data contract: {contracts.expectations()} expectations, {len(contracts.failures)} failed; "
             f"report `{run.out / run.validation.get('report', '')}`.", "",
             "| extract | input rows | used | quarantined |", "|---|---:|---:|---:|"]
    for e in EXTRACTS:
        i = run.inputs[e.name]
        lines.append(f"| {e.name} | {i['rows']:,} | {i.get('used', 0):,} | {i.get('quarantined', 0):,} |")
    lines += ["", "| step | seconds |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in run.timings.items()]
    return "\n".join(lines)


def _score(extracts: Path, out: Path, year: int, mode: str, quota: int | None) -> Run:
    """The steps shared by both flows."""
    run = check_structure(Path(extracts), Path(out), year, mode, quota)
    con = pipeline.connect()
    try:
        with run.step("contracts"), contracts_runner.Contracts(run.paths, year) as contracts:
            for name in contracts.extracts:
                validate_extract(contracts, name)
        result = contracts.result
        quarantine(run, con)
        agreement = contracts_runner.agreement(result, con)
        for a in contracts_runner.disagreements(agreement):
            get_run_logger().warning("suite and quarantine disagree: %s", a)
        compute_indicators(run, con)
        rank(run, con)
        if mode == "final":
            refuse_unreviewed(run, con, agreement)
        staging = write_outputs(run, con, result, agreement)
        publish(run, staging)
    finally:
        con.close()
    create_markdown_artifact(key=f"jflh-{mode}-{year}", markdown=_summary_markdown(run, result),
                             description=f"jflh {mode} run {run.run_id}")
    return run


@flow(name="jflh-nightly", flow_run_name="nightly-{year}", validate_parameters=False)
def nightly(extracts: Path, out: Path, year: int, quota: int | None = None) -> Run:
    """Nightly refresh (每日刷新): provisional scores; bad rows are quarantined and the run goes on."""
    return _score(extracts, out, year, "nightly", quota)


@flow(name="jflh-final", flow_run_name="final-{year}", validate_parameters=False)
def final(extracts: Path, out: Path, year: int, quota: int | None = None) -> Run:
    """Final run (年度最终积分): refuses on unreviewed or quarantined data (rules §5); writes the roster."""
    return _score(extracts, out, year, "final", quota)


def score_snapshot(extracts: Path, out: Path, year: int, mode: str = "nightly",
                   quota: int | None = None) -> Run:
    """`jflh run`: the nightly or the final flow. Raises ContractError, ParameterError,
    RunRefused or ValueError (bad mode or quota) as `pipeline.run` does."""
    if mode not in MODES:
        raise ValueError(f"--mode must be one of {MODES}, not {mode!r}")
    chosen = nightly if mode == "nightly" else final
    return chosen(Path(extracts), Path(out), year, quota)

