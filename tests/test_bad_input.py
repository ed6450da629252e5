"""extracts.md "Bad input", through the real nightly and final flows on corrupted copies of the sample snapshot.

A missing extract or column, or a wrong type, stops the run before anything is
written, with a message naming the extract and column, and the previous
outputs stay as they were. A row-level violation goes to the quarantine with
its rule, the applicant is flagged and stays in the scores, and the nightly run
goes on; the final run refuses (rules §5).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

import corruptions
from jflh.pipeline import RunRefused
from jflh.schema_check import ContractError


def _listing(out: Path) -> dict[str, bytes]:
    """Every file under --out (through the symlinks) with its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", corruptions.STRUCTURAL, ids=lambda c: c.kind)
def test_a_structural_violation_stops_the_run_and_leaves_the_previous_outputs(case, nightly_refreshed, tmp_path):
    from flows.scoring import score_snapshot

    snapshot, out, _ = nightly_refreshed
    before = _listing(out)
    broken = tmp_path / "snapshot"
    shutil.copytree(snapshot, broken)
    case.apply(broken)
    with pytest.raises(ContractError) as error:
        score_snapshot(broken, out, 2026, "nightly")
    assert error.value.rule == case.rule
    assert error.value.extract == case.extract and case.extract in str(error.value)
    if case.column:
        assert error.value.column == case.column and case.column in str(error.value)
    assert _listing(out) == before
    assert not list((out / "runs").glob(".*partial"))


@pytest.mark.parametrize("case", corruptions.ROW_LEVEL, ids=lambda c: c.kind)
def test_a_row_violation_is_quarantined_and_the_applicant_stays_flagged(case, corrupted_nightly):
    run, out, broken = corrupted_nightly
    con = duckdb.connect()
    quarantine = con.sql(f"select * from read_parquet('{out / 'quarantine.parquet'}')"
                         f" where extract = '{case.extract}' and rule = '{case.rule}'").fetchall()
    assert quarantine, f"no {case.extract} row quarantined for {case.rule}"
    applicant = broken[case.kind]
    scores = out / "scores.parquet"
    declared = con.sql(f"select count(*) from read_parquet('{corruptions.SAMPLE / 'applicants.parquet'}')"
                       ).fetchall()[0][0] if corruptions.SAMPLE.is_dir() else None
    n = con.sql(f"select count(*), count(distinct applicant_id) from read_parquet('{scores}')").fetchall()[0]
    assert n[0] == n[1]
    if declared is not None:
        assert n[0] == declared  # no applicant disappears because of bad rows
    if applicant is not None:
        flagged = con.sql(f"select data_issue_count, ranked from read_parquet('{scores}')"
                          f" where applicant_id = '{applicant}'").fetchall()
        assert flagged and flagged[0][0] > 0
        if case.extract == "applicants":
            assert flagged[0][1] is False  # outputs.md: own row quarantined -> not ranked


def test_the_manifest_reconciles_every_extract(corrupted_nightly):
    run, out, _ = corrupted_nightly
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    quarantine = duckdb.sql(f"select extract, count(*) from read_parquet('{out / 'quarantine.parquet'}')"
                            " group by all").fetchall()
    assert set(manifest["inputs"]) == set(run.inputs)
    for name, info in manifest["inputs"].items():
        assert info["rows"] == info["used"] + info["quarantined"], name
    assert manifest["inputs"]["tax_payments"]["quarantined"] == 2  # both rows of the duplicated key
    assert {e for e, _ in quarantine} == {n for n, i in manifest["inputs"].items() if i["quarantined"]}


def test_the_final_run_refuses_quarantined_rows_and_writes_nothing(corrupted_nightly, corrupted_snapshot):
    from flows.scoring import score_snapshot

    _, out, _ = corrupted_nightly
    before = _listing(out)
    with pytest.raises(RunRefused, match="quarantined"):
        score_snapshot(corrupted_snapshot[0], out, 2026, "final")
    assert _listing(out) == before
