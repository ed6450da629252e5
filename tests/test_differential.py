"""Differential test: the production pipeline against the reference implementation.

For several generated snapshots (`jflh.generate.generate_snapshot`), run
`jflh.pipeline.run` once per snapshot (module-scoped fixture) and assert that
every column of every applicant of `scores.parquet`, and every row of
`bands.parquet`, equals what `tests/reference.py` computes from rules.md.

The quota of each run is chosen from the reference totals so that the cutoff
falls inside a group of equal totals: ties at the cutoff are always exercised
(all of them must be admitted, so admissions exceed the quota).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reference import (BAND_COLUMNS, INDICATORS, SCORE_COLUMNS, reference_bands,
                       reference_cutoff, reference_scores, with_quota)

YEAR = 2026
# (seed, applicants): three ordinary pools, and one large enough (16 × 91 planted
# scenarios) to hold every boundary scenario the generator plants at least once.
SNAPSHOTS = [(1, 400), (2, 450), (3, 500), (4, 1500)]
SHOW = 15  # mismatches listed in a failure message


def tie_quota(scores: dict[str, dict]) -> int:
    """A quota whose cutoff position is tied with the next ranked applicant."""
    totals = sorted((s["total_units"] for s in scores.values() if s["ranked"]), reverse=True)
    n = len(totals)
    for position in range(max(1, n // 4), n):  # 1-based position `position`, next one tied
        if totals[position - 1] == totals[position]:
            return position
    return max(1, n // 2)


class Compared:
    def __init__(self, seed: int, applicants: int, root: Path) -> None:
        from jflh.generate import generate_snapshot

        self.seed, self.applicants = seed, applicants
        self.snapshot = root / "snapshot"
        generate_snapshot(year=YEAR, applicants=applicants, seed=seed, out=self.snapshot)
        self.ref_default = reference_scores(self.snapshot, YEAR)
        self.quota = tie_quota(self.ref_default)
        self.ref = with_quota(self.ref_default, YEAR, self.quota)
        self.ref_bands = reference_bands(self.ref, YEAR)
        self.out = root / "out"
        self._loaded = False
        self._error: BaseException | None = None

    def load(self) -> "Compared":
        """Run the pipeline once (lazily, so that the reference side is built regardless)."""
        if self._error is not None:
            raise self._error
        if not self._loaded:
            try:
                from jflh.pipeline import run

                run(extracts=self.snapshot, out=self.out, year=YEAR, mode="nightly",
                    quota=self.quota)
                self.scores_table = pq.read_table(self.out / "scores.parquet")
                self.bands_table = pq.read_table(self.out / "bands.parquet")
                self.prod_rows = self.scores_table.to_pylist()
                self.prod = {r["applicant_id"]: r for r in self.prod_rows}
                self.prod_bands = self.bands_table.to_pylist()
                self.manifest = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
                self._loaded = True
            except BaseException as error:  # noqa: BLE001 - re-raised in every test using it
                self._error = error
                raise
        return self


@pytest.fixture(scope="module", params=SNAPSHOTS, ids=[f"seed{s}-{n}" for s, n in SNAPSHOTS])
def compared(request, tmp_path_factory) -> Compared:
    seed, applicants = request.param
    return Compared(seed, applicants, tmp_path_factory.mktemp(f"diff_seed{seed}"))


def test_the_quota_cuts_through_a_tie(compared):
    """Guard that the comparison exercises ties at the cutoff (reference side only)."""
    ranked = [s for s in compared.ref.values() if s["ranked"]]
    admitted = sum(s["admitted"] for s in ranked)
    assert ranked, f"seed {compared.seed}: nobody is ranked; the comparison would be weak"
    assert admitted > compared.quota, (
        f"seed {compared.seed}: no tie at the cutoff (quota {compared.quota}, admitted {admitted})")


def test_scores_parquet_has_exactly_the_columns_and_types_of_outputs_md(compared):
    schema = compared.load().scores_table.schema
    assert schema.names == SCORE_COLUMNS
    want_types = {"applicant_id": pa.string(), "status": pa.string(), "eligible": pa.bool_(),
                  "complete": pa.bool_(), "ranked": pa.bool_(), "data_issue_count": pa.int64(),
                  "rank": pa.int64(), "rank_interval": pa.string(), "admitted": pa.bool_()}
    for name in INDICATORS:
        want_types[f"{name}_units"] = pa.int64()
        want_types[f"{name}_points"] = pa.decimal128(18, 2)
    wrong = {n: str(schema.field(n).type) for n, t in want_types.items() if schema.field(n).type != t}
    assert not wrong, f"column types differ from outputs.md: {wrong}"
    reasons = schema.field("ineligibility_reasons").type
    assert pa.types.is_list(reasons) or pa.types.is_large_list(reasons), reasons
    assert pa.types.is_string(reasons.value_type) or pa.types.is_large_string(reasons.value_type)


def test_bands_parquet_has_the_columns_of_outputs_md(compared):
    schema = compared.load().bands_table.schema
    assert schema.names == list(BAND_COLUMNS)
    assert schema.field("max_points").type == pa.decimal128(18, 2)
    assert schema.field("min_points").type == pa.decimal128(18, 2)


def test_one_scores_row_per_applicant(compared):
    c = compared.load()
    ids = [r["applicant_id"] for r in c.prod_rows]
    duplicates = [a for a, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate applicant rows: {duplicates[:SHOW]}"
    missing = sorted(set(c.ref) - set(ids))
    extra = sorted(set(ids) - set(c.ref))
    assert not missing and not extra, f"missing {missing[:SHOW]}, unexpected {extra[:SHOW]}"


def test_every_column_of_every_applicant_equals_the_reference(compared):
    c = compared.load()
    mismatches = []
    for aid in sorted(c.ref):
        want = c.ref[aid]
        got = c.prod.get(aid)
        if got is None:
            continue  # reported by test_one_scores_row_per_applicant
        for column in SCORE_COLUMNS:
            if got.get(column) != want[column] or type(got.get(column)) is float:
                mismatches.append((aid, column, got.get(column), want[column]))
    if mismatches:
        by_column = Counter(column for _, column, _, _ in mismatches)
        by_applicant = len({aid for aid, _, _, _ in mismatches})
        lines = [f"  {aid}.{column}: pipeline {g!r} != reference {w!r}"
                 for aid, column, g, w in mismatches[:SHOW]]
        pytest.fail(
            f"seed {c.seed} (quota {c.quota}): {len(mismatches)} mismatching values for "
            f"{by_applicant} of {len(c.ref)} applicants; by column {dict(by_column.most_common())}\n"
            + "\n".join(lines))


def test_bands_equal_the_reference(compared):
    c = compared.load()
    rows = [{k: r.get(k) for k in BAND_COLUMNS} for r in c.prod_bands]
    if rows != c.ref_bands:
        lines = [f"  pipeline {g}\n  reference {w}" for g, w in zip(rows, c.ref_bands) if g != w]
        pytest.fail(f"seed {c.seed} (quota {c.quota}): band rows differ "
                    f"({len(rows)} vs {len(c.ref_bands)} rows)\n" + "\n".join(lines[:SHOW]))


def test_a_pool_with_every_planted_scenario_exercises_every_indicator(compared):
    """Guard (reference side only) that the large pool gives every column something to compare."""
    if compared.applicants < 1456:
        return  # only the pool that holds every planted scenario is held to this
    ref = compared.ref.values()
    silent = [name for name in INDICATORS if not any(s[f"{name}_units"] for s in ref)]
    assert not silent, f"no applicant has a non-zero {silent}"
    reasons = {r for s in ref for r in s["ineligibility_reasons"]}
    assert reasons == {"no_permit", "over_age", "insurance_gap", "too_much_back_pay",
                       "criminal_record"}, reasons
    assert any(not s["complete"] for s in ref) and any(s["admitted"] for s in ref)


def test_the_cutoff_equals_the_reference(compared):
    c = compared.load()
    assert c.manifest.get("cutoff_units") == reference_cutoff(c.ref), "manifest.json cutoff_units"
