"""The data contracts (data_contracts/): suites generated from jflh.extracts, and agreeing with the quarantine."""

from __future__ import annotations

import json

import duckdb

from data_contracts import build
from jflh.extracts import EXTRACTS


def test_the_committed_suites_are_what_the_schema_implies():
    """Regenerate with `python -m data_contracts.build` after changing jflh/extracts.py."""
    for e in EXTRACTS:
        committed = (build.SUITES_DIR / f"{e.name}.json").read_text(encoding="utf-8")
        assert committed == build.render(e), f"data_contracts/suites/{e.name}.json is stale"
    assert sorted(p.stem for p in build.SUITES_DIR.glob("*.json")) == sorted(e.name for e in EXTRACTS)


def test_every_column_is_described_typed_and_checked_for_nulls():
    for e in EXTRACTS:
        suite = json.loads((build.SUITES_DIR / f"{e.name}.json").read_text(encoding="utf-8"))
        assert set(suite["meta"]["columns"]) == set(e.column_names)
        assert all(c["description"] for c in suite["meta"]["columns"].values())
        by_type = {(x["type"], x["kwargs"].get("column")) for x in suite["expectations"]}
        for c in e.columns:
            assert ("expect_column_values_to_be_of_type", c.name) in by_type
            assert (("expect_column_values_to_not_be_null", c.name) in by_type) == (not c.nullable)
            if c.enum:
                assert ("expect_column_values_to_be_in_set", c.name) in by_type
        rules = {x["meta"]["rule"] for x in suite["expectations"]}
        assert rules <= set(build.GE_RULES) | {"schema"}
        assert {c["rule"] for c in suite["meta"]["documented_checks"]} <= set(build.DOCUMENTED_RULES)
        if e.key:
            assert "unique" in rules
        if any(c.fk for c in e.columns):
            assert "fk" in {c["rule"] for c in suite["meta"]["documented_checks"]}


def test_every_suite_fails_on_the_bad_fixture_exactly_where_the_quarantine_has_rows(corrupted_nightly):
    """The corrupted sample breaks a GE-expressible rule in every extract; the
    suites fail on the same (extract, rule) and the same number of rows as
    `violations` (schema_check)."""
    run, out, _ = corrupted_nightly
    results = json.loads((out / "validation" / "results.json").read_text(encoding="utf-8"))
    assert results["success"] is False
    failed_suites = {name for name, r in results["suites"].items() if not r["success"]}
    assert failed_suites == {e.name for e in EXTRACTS}
    quarantine = duckdb.sql(
        f"select extract, rule, count(*) from read_parquet('{out / 'quarantine.parquet'}')"
        f" where rule in {tuple(build.GE_RULES)} group by all").fetchall()
    expected = {(e, r): n for e, r, n in quarantine}
    got: dict[tuple[str, str], int] = {}
    for f in results["failures"]:
        assert f["error"] is None, f
        got[(f["extract"], f["rule"])] = got.get((f["extract"], f["rule"]), 0) + f["unexpected_count"]
    assert got == expected
    assert all(a["agrees"] for a in results["agreement_with_quarantine"])


def test_the_run_keeps_its_validation_results_and_a_readable_page(corrupted_nightly):
    run, out, _ = corrupted_nightly
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    validation = manifest["validation"]
    assert validation["results"] == "validation/results.json"
    page = (out / validation["report"]).read_text(encoding="utf-8")
    assert "Data contract validation" in page and "FAIL" in page
    assert "documented checks" in page.lower() and "check_digit" in page
    assert validation["agrees_with_quarantine"] is True
