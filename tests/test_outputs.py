"""Outputs of `jflh run` (outputs.md): files, roster, results.duckdb, atomic publish, CLI exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from builders import applicant, insurance, make_snapshot
from jflh import pipeline, publish
from jflh.cli import EXIT_CONTRACT, EXIT_REFUSED, app

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "2026"
ROSTER_COLUMNS = [
    "rank", "name", "birth_month", "employer_name", "employment_points", "residence_points",
    "education_points", "education_deduction_points", "area_points", "innovation_points",
    "tax_points", "tax_penalty_points", "age_points", "honors_points", "law_penalty_points",
    "total_points",
]
CSV_HEADERS = "排名,姓名,出生年月,单位名称,合法稳定就业,合法稳定住所,教育背景,取得学历期间扣减,职住区域,创新创业,纳税,涉税违法,年龄,荣誉表彰,守法记录,总积分"


def clean_snapshot(root: Path) -> Path:
    """Three complete, eligible applicants; two tie on total."""
    people = [applicant(i, name=f"申请人{i}") for i in (1, 2, 3)]
    permits = [{"applicant_id": p["applicant_id"], "issued_on": "2015-01-01"} for p in people]
    months = {1: "2010-01", 2: "2012-01", 3: "2012-01"}
    rows = [r for i, first in months.items() for r in insurance(f"A{i:06d}", first, "2025-12")]
    return make_snapshot(root, 2026, applicants=people, residence_permits=permits, social_insurance=rows)


def snapshot_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


@pytest.fixture(scope="module")
def final_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("final")
    out = root / "out"
    job = pipeline.run(clean_snapshot(root / "snapshot"), out, 2026, mode="final", quota=2)
    return job, out


def test_a_final_run_publishes_the_roster_with_only_the_published_fields(final_run):
    _, out = final_run
    roster = pq.read_table(out / "roster.parquet")
    assert roster.column_names == ROSTER_COLUMNS
    assert roster.column("rank").to_pylist() == [1, 2, 2]  # the tie at the cutoff is admitted
    assert roster.column("birth_month").to_pylist()[0].count("-") == 1
    assert str(roster.schema.field("total_points").type) == "decimal128(18, 2)"


def test_the_roster_csv_has_a_bom_and_the_chinese_headers(final_run):
    _, out = final_run
    raw = (out / "roster.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == CSV_HEADERS
    assert len(lines) == 4 and "申请人1" in lines[1]


def test_results_duckdb_has_the_tables_and_no_id_number(final_run):
    _, out = final_run
    ids = {r["id_number"] for r in pq.read_table(out.parent / "snapshot" / "applicants.parquet").to_pylist()}
    with duckdb.connect(str(out / "results.duckdb"), read_only=True) as db:
        tables = {r[0] for r in db.sql("select table_name from information_schema.tables").fetchall()}
        assert {"scores", "bands", "roster", "quarantine", "runs"} <= tables
        for table in tables:
            text = " ".join(str(v) for row in db.sql(f"select * from {table}").fetchall() for v in row)
            assert not any(i in text for i in ids), f"an ID number is in table {table}"


def test_the_manifest_names_inputs_outputs_cutoff_and_timings(final_run):
    job, out = final_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == job.run_id and manifest["mode"] == "final"
    assert manifest["parameters"]["version"] == "2026.1"
    assert len(manifest["inputs"]) == 13
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"].values())
    assert manifest["outputs"]["roster"] == 3 and manifest["admitted"] == 3
    assert manifest["cutoff_units"] is not None and "write" in manifest["timings_seconds"]


def test_a_final_run_refuses_incomplete_candidates_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(pipeline.RunRefused, match=r"\d+ submitted, employer-confirmed, eligible applicants"):
        pipeline.run(SAMPLE, out, 2026, mode="final")
    assert not out.exists() or not any(out.iterdir())


def test_every_successful_run_adds_one_row_to_runs(tmp_path):
    snapshot = clean_snapshot(tmp_path / "snapshot")
    out = tmp_path / "out"
    first = pipeline.run(snapshot, out, 2026)
    second = pipeline.run(snapshot, out, 2026, quota=1)
    with duckdb.connect(str(out / "results.duckdb"), read_only=True) as db:
        runs = db.sql("select run_id, quota from runs order by started_at, run_id").fetchall()
    assert {r[0] for r in runs} == {first.run_id, second.run_id}
    assert sorted(r[1] for r in runs) == [1, 6000]
    assert (out / "current").resolve().name == second.run_id


def test_a_run_failing_while_writing_leaves_the_previous_outputs_untouched(tmp_path, monkeypatch):
    snapshot = clean_snapshot(tmp_path / "snapshot")
    out = tmp_path / "out"
    pipeline.run(snapshot, out, 2026)
    before = snapshot_files(out.resolve() / "current")

    def broken_disk(*args, **kwargs):
        raise OSError("disk full (injected)")

    monkeypatch.setattr(pipeline, "write_database", broken_disk)
    with pytest.raises(OSError, match="injected"):
        pipeline.run(snapshot, out, 2026, quota=1)
    assert snapshot_files(out.resolve() / "current") == before
    assert pq.read_table(out / "scores.parquet").num_rows == 3
    assert not [p for p in (out / publish.RUNS_DIR).iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("args, code, words", [
    (["--extracts", "missing-dir"], EXIT_CONTRACT, "missing-dir"),
    (["--mode", "weekly"], 2, "--mode"),
    (["--quota", "0"], 2, "--quota"),
])
def test_the_cli_rejects_bad_requests_with_a_message(tmp_path, args, code, words):
    base = {"--extracts": str(SAMPLE), "--out": str(tmp_path / "out")}
    base.update(dict(zip(args[::2], args[1::2])))
    result = CliRunner().invoke(app, ["run", *[x for kv in base.items() for x in kv]])
    assert result.exit_code == code
    assert words in result.output
    assert not (tmp_path / "out").exists()


def test_the_cli_exit_code_of_a_refused_final_run(prefect_harness, tmp_path):
    result = CliRunner().invoke(app, ["run", "--extracts", str(SAMPLE), "--out", str(tmp_path / "out"),
                                      "--mode", "final"])
    assert result.exit_code == EXIT_REFUSED
    assert "final run refused" in result.output
