"""The synthetic snapshot generator (jflh.generate, docs/generator.md).

1. The committed sample (sample_data/2026, 2,000 applicants, seed 2026) is
   exactly what the generator writes today, in the exact Arrow schema.
2. Its rows are valid per extracts.md (a compact restatement; the full check
   is jflh.schema_check).
3. It exercises every rule and boundary of rules.md: COVERAGE lists each case
   as a DuckDB query counting the applicants (or rows) showing it; each must
   be > 0.
4. Same seed -> byte-identical files; another seed -> different files.
"""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest

from jflh import params
from jflh.extracts import DISTRICTS, EXTRACTS
from jflh.generate import generate_snapshot
from jflh.ids import id_check_char, uscc_check_char, USCC_CHARSET

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "2026"
P = params.load(2026)


def lit(value: dt.date) -> str:
    return f"DATE '{value.isoformat()}'"


def first_of(month_index: int) -> str:
    return f"DATE '{params.month_label(month_index)}-01'"


R = P.reference_date
SQL = {  # policy dates of the year, as SQL literals
    "R": lit(R), "R1": lit(R + dt.timedelta(days=1)), "RM": first_of(P.reference_month),
    "W0": first_of(P.insurance_window_first), "W1": first_of(P.insurance_window_first + 1),
    "ES": first_of(P.employment_start), "P1L": first_of(P.period1_last), "P2F": first_of(P.period2_first),
    "A0": first_of(P.area_start),
    "CENTRAL": "(" + ", ".join(f"'{d}'" for d in P.central_districts) + ")",
    "BY": "(" + ", ".join(str(y) for y in P.tax_bonus_years) + ")",
    "TP0": lit(dt.date(min(P.tax_penalty_years), 1, 1)), "TP1": lit(dt.date(max(P.tax_penalty_years), 12, 31)),
    "DT0": lit(dt.date(min(P.detention_years), 1, 1)), "DT1": lit(dt.date(max(P.detention_years), 12, 31)),
    "Y0": lit(dt.date(P.year, 1, 1)),
}


def retirement(gender: str, position: str, age: int, reached: bool) -> str:
    born = R.replace(year=R.year - age) + dt.timedelta(days=0 if reached else 1)
    where = f"gender = '{gender}'" + ("" if gender == "male" else f" AND position_type = '{position}'")
    return f"SELECT count(*) FROM applicants WHERE {where} AND birth_date = {lit(born)}"


def edu_pair(level: str | None, degree: str | None, extra: str = "") -> str:
    def eq(col, v):
        return f"{col} IS NULL" if v is None else f"{col} = '{v}'"
    return (f"SELECT count(*) FROM education WHERE verification = 'valid' AND {eq('education_level', level)} "
            f"AND {eq('degree', degree)} {extra}")


def age_year(over: int) -> str:
    return f"SELECT count(*) FROM applicants WHERE year(birth_date) = {P.age_reference_year - P.age_full_max_age - over}"


COVERAGE: dict[str, str] = {
    # §1 eligibility
    "no permit at all": "SELECT count(*) FROM applicants WHERE applicant_id NOT IN (SELECT applicant_id FROM residence_permits)",
    "first permit issued exactly on R": "SELECT count(*) FROM (SELECT applicant_id FROM residence_permits GROUP BY 1 HAVING min(issued_on) = {R})",
    "first permit issued the day after R": "SELECT count(*) FROM (SELECT applicant_id FROM residence_permits GROUP BY 1 HAVING min(issued_on) = {R1})",
    "first permit issued later in Y": "SELECT count(*) FROM (SELECT applicant_id FROM residence_permits GROUP BY 1 HAVING min(issued_on) > {R1})",
    "several permits": "SELECT count(*) FROM (SELECT applicant_id FROM residence_permits GROUP BY 1 HAVING count(*) > 1)",
    **{f"retirement {g}/{pos} {'reached on R' if r else 'one day short'}": retirement(g, pos, a, r)
       for g, pos, a in (("male", "worker", P.retirement_age_male),
                         ("female", "worker", P.retirement_age_female_worker),
                         ("female", "cadre", P.retirement_age_female_cadre)) for r in (True, False)},
    "gap in one type only": "SELECT count(*) FROM win WHERE min_n < 84 AND max_n = 84",
    "gap in all types": "SELECT count(*) FROM win WHERE max_n < 84 AND first_month < {W0}",
    "career starts in the first window month": "SELECT count(*) FROM win WHERE first_month = {W0} AND min_n = 84",
    "career starts in the second window month": "SELECT count(*) FROM win WHERE first_month = {W1}",
    "exactly 5 back-paid months in window": "SELECT count(*) FROM bp WHERE n = 5",
    "exactly 6 back-paid months in window": "SELECT count(*) FROM bp WHERE n = 6",
    "more than 6 back-paid months in window": "SELECT count(*) FROM bp WHERE n > 6",
    "6 back-paid months spread over two types": "SELECT count(*) FROM bp WHERE n = 6 AND types = 2",
    "back pay only before the window": "SELECT count(DISTINCT applicant_id) FROM si WHERE back_paid AND month < {W0} AND applicant_id NOT IN (SELECT applicant_id FROM bp)",
    "criminal record": "SELECT count(*) FROM criminal_records",
    # §2 who is ranked
    "draft": "SELECT count(*) FROM applicants WHERE status = 'draft' AND submitted_at IS NULL",
    "submitted": "SELECT count(*) FROM applicants WHERE status = 'submitted' AND submitted_at IS NOT NULL",
    "employer not confirmed": "SELECT count(*) FROM applicants WHERE NOT employer_confirmed",
    **{f"{v} {t}": f"SELECT count(*) FROM {t} WHERE verification = '{v}'"
       for t in ("property_claims", "lease_filings", "education", "awards", "honors", "marriages")
       for v in ("pending", "invalid")},
    "pending marriage linked to a claim": "SELECT count(*) FROM marriages WHERE verification = 'pending' AND marriage_id IN (SELECT marriage_id FROM links)",
    "pending marriage with no claim": "SELECT count(*) FROM marriages WHERE verification = 'pending' AND marriage_id NOT IN (SELECT marriage_id FROM links)",
    "invalid marriage linked to a valid claim": "SELECT count(*) FROM marriages m JOIN property_claims c USING (marriage_id) WHERE m.verification = 'invalid' AND c.verification = 'valid'",
    # §3.1 chosen type
    "chosen-type tie": "SELECT count(*) FROM chosen WHERE n_top > 1",
    "non-pension chosen type": "SELECT count(*) FROM chosen WHERE top_type <> 'pension'",
    "insurance months before 1998-07": "SELECT count(DISTINCT applicant_id) FROM si WHERE month < {ES}",
    "insurance months after RM": "SELECT count(DISTINCT applicant_id) FROM si WHERE month > {RM}",
    # §3.2 residence
    "owned months above E1 (owned1 capped)": "SELECT count(*) FROM owned JOIN e_period USING (applicant_id) WHERE o1 > e1_max",
    "owned months below E1": "SELECT count(*) FROM owned JOIN e_period USING (applicant_id) WHERE o1 BETWEEN 1 AND e1_min - 1",
    "owned months above E2 (owned2 capped)": "SELECT count(*) FROM owned JOIN e_period USING (applicant_id) WHERE o2 > e2_max",
    "spouse-owned home cut by marriage start": "SELECT count(*) FROM property_claims c JOIN marriages m USING (marriage_id) WHERE c.verification = 'valid' AND c.claimed_start < date_trunc('month', m.married_on)",
    "spouse-owned home cut by divorce": "SELECT count(*) FROM property_claims c JOIN marriages m USING (marriage_id) WHERE c.verification = 'valid' AND c.claimed_end > date_trunc('month', m.divorced_on)",
    "divorce and remarriage": "SELECT count(*) FROM (SELECT applicant_id FROM marriages GROUP BY 1 HAVING count(*) > 1 AND count(divorced_on) > 0)",
    "certificate expired mid-claim": "SELECT count(*) FROM property_claims WHERE certificate_expired_on IS NOT NULL AND date_trunc('month', certificate_expired_on) < claimed_end",
    "registered after claimed start": "SELECT count(*) FROM property_claims WHERE date_trunc('month', registered_on) > claimed_start",
    "owned home bought again after a sale": "SELECT count(*) FROM (SELECT applicant_id FROM property_claims WHERE residence_kind = 'owned' GROUP BY 1 HAVING count(*) > 1)",
    "valid lease entirely before 2020-08": "SELECT count(*) FROM lease_filings WHERE verification = 'valid' AND claimed_end < {P2F}",
    "valid lease straddling 2020-08": "SELECT count(*) FROM lease_filings WHERE verification = 'valid' AND claimed_start < {P2F} AND claimed_end >= {P2F}",
    "lease overlapping owned months": "SELECT count(*) FROM lease_filings l JOIN property_claims c USING (applicant_id) WHERE l.verification = 'valid' AND c.verification = 'valid' AND c.residence_kind = 'owned' AND l.claimed_start >= {P2F} AND l.claimed_start >= c.claimed_start AND l.claimed_start <= c.claimed_end",
    "lease by spouse": "SELECT count(*) FROM lease_filings WHERE tenant_relation = 'spouse' AND verification = 'valid'",
    "dormitory after 2020-08": "SELECT count(*) FROM property_claims WHERE residence_kind = 'dormitory' AND verification = 'valid' AND claimed_end >= {P2F}",
    "dormitory only before 2020-08": "SELECT count(*) FROM property_claims WHERE residence_kind = 'dormitory' AND verification = 'valid' AND claimed_end < {P2F}",
    # §3.3 education: every row of the table, off-table pairs, dates
    **{f"education {lvl}/{deg}": edu_pair(lvl, deg) for lvl, deg in
       (("associate", None), ("bachelor", None), (None, "bachelor"), ("bachelor", "bachelor"),
        ("master", None), (None, "master"), ("master", "master"), ("doctor", None),
        (None, "doctor"), ("doctor", "doctor"), ("master", "bachelor"), ("doctor", "master"))},
    "overseas record": "SELECT count(*) FROM education WHERE source = 'overseas' AND verification = 'valid'",
    "graduated after RM": edu_pair("master", "master", "AND graduated_on > {R}"),
    "off-table pair, level after RM, degree before": edu_pair("master", "bachelor", "AND graduated_on > {R} AND degree_awarded_on <= {R}"),
    "graduated while insured (deduction)": "SELECT count(DISTINCT e.record_id) FROM education e JOIN si ON si.applicant_id = e.applicant_id AND si.insurance_type = 'pension' AND si.month = date_trunc('month', e.graduated_on) WHERE e.verification = 'valid' AND e.graduated_on <= {R}",
    "two valid records": "SELECT count(*) FROM (SELECT applicant_id FROM education WHERE verification = 'valid' GROUP BY 1 HAVING count(*) > 1)",
    # §3.4 area
    "opted in, live_out(RM)": "SELECT count(*) FROM applicants WHERE opts_job_residence AND applicant_id IN (SELECT applicant_id FROM live_out WHERE m = {RM})",
    "opted in, not live_out(RM)": "SELECT count(*) FROM applicants WHERE opts_job_residence AND applicant_id NOT IN (SELECT applicant_id FROM live_out WHERE m = {RM})",
    "area both exactly 12": "SELECT count(*) FROM area WHERE both_n = 12 AND live_only = 0",
    "area both 11": "SELECT count(*) FROM area WHERE both_n = 11 AND live_only = 0",
    "area remainder crossing 12 months": "SELECT count(*) FROM area WHERE both_n % 12 > 0 AND (both_n % 12 + live_only) // 12 > live_only // 12",
    "area capped at 12 points": "SELECT count(*) FROM area WHERE 3 * (both_n // 12) + 2 * ((both_n % 12 + live_only) // 12) > 12",
    "area opted in with points below the cap": "SELECT count(*) FROM area WHERE 3 * (both_n // 12) + 2 * ((both_n % 12 + live_only) // 12) BETWEEN 1 AND 11",
    "outer home but not opted in": "SELECT count(*) FROM applicants WHERE NOT opts_job_residence AND applicant_id IN (SELECT applicant_id FROM live_out WHERE m = {RM})",
    # §3.5 awards
    "valid awards with different points": "SELECT count(*) FROM (SELECT applicant_id FROM valid_awards GROUP BY 1 HAVING count(DISTINCT points) > 1)",
    "valid awards summing above the cap": "SELECT count(*) FROM (SELECT applicant_id FROM valid_awards GROUP BY 1 HAVING sum(points) > 12)",
    "at least 5 distinct award point values": "SELECT count(*) FROM (SELECT count(DISTINCT points) k FROM valid_awards) WHERE k >= 5",
    # §3.6 tax
    "three paying years, some >= 100000, authorised": "SELECT count(*) FROM tax3 WHERE paying = 3 AND high > 0 AND tax_authorized",
    "three high years, not authorised": "SELECT count(*) FROM tax3 WHERE paying = 3 AND high = 3 AND NOT tax_authorized",
    "a bonus year of exactly 100000.00": "SELECT count(*) FROM tax_payments WHERE tax_year IN {BY} AND iit_paid_cny = 100000",
    "a bonus year of 99999.99": "SELECT count(*) FROM tax_payments WHERE tax_year IN {BY} AND iit_paid_cny = 99999.99",
    "high payer with one bonus year missing": "SELECT count(*) FROM tax3 WHERE rows_ = 2 AND high = 2",
    "high payer with a zero bonus year": "SELECT count(*) FROM tax3 WHERE rows_ = 3 AND paying = 2 AND high = 2",
    "tax year Y rows": "SELECT count(*) FROM tax_payments WHERE tax_year = " + str(P.year),
    "violation fine exactly 50 in window": "SELECT count(*) FROM tax_violations WHERE fine_cny = 50 AND penalty_date BETWEEN {TP0} AND {TP1}",
    "violation fine 49.99 in window": "SELECT count(*) FROM tax_violations WHERE fine_cny = 49.99 AND penalty_date BETWEEN {TP0} AND {TP1}",
    "violation on the window's first day": "SELECT count(*) FROM tax_violations WHERE penalty_date = {TP0}",
    "violation on the window's last day": "SELECT count(*) FROM tax_violations WHERE penalty_date = {TP1}",
    "violation the day before the window": "SELECT count(*) FROM tax_violations WHERE penalty_date = {TP0} - 1",
    "violation after R": "SELECT count(*) FROM tax_violations WHERE penalty_date > {R}",
    # §3.8, §3.9
    "detention on the window's first day": "SELECT count(*) FROM detentions WHERE detained_on = {DT0}",
    "detention on the window's last day": "SELECT count(*) FROM detentions WHERE detained_on = {DT1}",
    "detention the day before the window": "SELECT count(*) FROM detentions WHERE detained_on = {DT0} - 1",
    "detention after R": "SELECT count(*) FROM detentions WHERE detained_on > {R}",
    "two detentions in the window": "SELECT count(*) FROM (SELECT applicant_id FROM detentions WHERE detained_on BETWEEN {DT0} AND {DT1} GROUP BY 1 HAVING count(*) > 1)",
    "valid honour": "SELECT count(*) FROM honors WHERE verification = 'valid'",
    "two valid honours": "SELECT count(*) FROM (SELECT applicant_id FROM honors WHERE verification = 'valid' GROUP BY 1 HAVING count(*) > 1)",
    # §3.7 age
    **{f"age points boundary: born {P.age_reference_year - P.age_full_max_age - k}": age_year(k) for k in (-1, 0, 1, 4, 5, 6)},
    # identity
    "ID number with check character X": "SELECT count(*) FROM applicants WHERE id_number LIKE '%X'",
    "both genders, both position types": "SELECT count(*) FROM (SELECT DISTINCT gender, position_type FROM applicants) HAVING count(*) = 4",
}

HELPERS = """
CREATE VIEW si AS SELECT * FROM read_parquet('{dir}/social_insurance/*.parquet');
{views}
CREATE TABLE win AS SELECT applicant_id, min(n) min_n, max(n) max_n, min(first_month) first_month FROM (
  SELECT applicant_id, insurance_type, count(DISTINCT month) FILTER (WHERE month BETWEEN {W0} AND {RM}) n,
         min(month) first_month FROM si GROUP BY ALL) GROUP BY ALL;
CREATE TABLE bp AS SELECT applicant_id, count(DISTINCT month) n, count(DISTINCT insurance_type) types FROM si
  WHERE back_paid AND month BETWEEN {W0} AND {RM} GROUP BY ALL;
CREATE TABLE mt AS SELECT applicant_id, insurance_type, count(*) n,
  count(*) FILTER (WHERE month <= {P1L}) n1, count(*) FILTER (WHERE month >= {P2F}) n2
  FROM si WHERE NOT back_paid AND month BETWEEN {ES} AND {RM} GROUP BY ALL;
CREATE TABLE chosen AS SELECT applicant_id, count(*) FILTER (WHERE n = top) n_top,
  arg_max(insurance_type, n * 10 - list_position(['pension','medical','unemployment','injury','maternity'], insurance_type)) top_type
  FROM (SELECT *, max(n) OVER (PARTITION BY applicant_id) top FROM mt) GROUP BY ALL;
CREATE TABLE e_period AS SELECT applicant_id, min(n1) e1_min, max(n1) e1_max, max(n2) e2_max FROM mt GROUP BY ALL;
CREATE TABLE owned_months AS SELECT DISTINCT applicant_id, district_code, unnest(generate_series(
    greatest(claimed_start, date_trunc('month', registered_on), {ES}),
    least(claimed_end, coalesce(date_trunc('month', certificate_expired_on), {RM}), {RM}), INTERVAL 1 MONTH)) m
  FROM property_claims WHERE verification = 'valid' AND residence_kind = 'owned' AND owner_relation = 'self';
CREATE TABLE owned AS SELECT applicant_id, count(DISTINCT m) FILTER (WHERE m <= {P1L}) o1,
  count(DISTINCT m) FILTER (WHERE m >= {P2F}) o2 FROM owned_months GROUP BY ALL;
CREATE TABLE live_out AS SELECT DISTINCT applicant_id, m FROM owned_months WHERE district_code NOT IN {CENTRAL} AND m >= {A0};
CREATE TABLE area AS SELECT l.applicant_id, count(w.month) both_n, count(*) - count(w.month) live_only
  FROM live_out l JOIN applicants a USING (applicant_id)
  LEFT JOIN (SELECT DISTINCT applicant_id, month FROM si WHERE insurance_type = 'pension' AND district_code NOT IN {CENTRAL}) w
    ON w.applicant_id = l.applicant_id AND w.month = l.m
  WHERE a.opts_job_residence AND l.applicant_id IN (SELECT applicant_id FROM live_out WHERE m = {RM}) GROUP BY ALL;
CREATE TABLE links AS SELECT marriage_id FROM property_claims WHERE marriage_id IS NOT NULL
  UNION SELECT marriage_id FROM lease_filings WHERE marriage_id IS NOT NULL;
CREATE TABLE valid_awards AS SELECT a.applicant_id, c.points::DECIMAL(6,2) points FROM awards a
  JOIN read_csv('{catalogue}', all_varchar = true) c ON c.code = a.award_code WHERE a.verification = 'valid';
CREATE TABLE tax3 AS SELECT t.applicant_id, any_value(a.tax_authorized) tax_authorized, count(*) rows_,
  count(*) FILTER (WHERE iit_paid_cny > 0) paying, count(*) FILTER (WHERE iit_paid_cny >= 100000) high
  FROM tax_payments t JOIN applicants a USING (applicant_id) WHERE tax_year IN {BY} GROUP BY ALL;
"""


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    views = "\n".join(f"CREATE VIEW {e.name} AS SELECT * FROM read_parquet('{SAMPLE}/{e.name}.parquet');"
                      for e in EXTRACTS if e.name != "social_insurance")
    c.execute(HELPERS.format(dir=SAMPLE, views=views, catalogue=P.award_catalogue, **SQL))
    return c


def count(con, query: str) -> int:
    return con.sql(query.format(**SQL)).fetchall()[0][0]


# ---------------------------------------------------------------- 1. the sample is current
def test_sample_is_what_the_generator_writes(tmp_path):
    generate_snapshot(2026, 2000, 2026, tmp_path)
    for path in sorted(SAMPLE.rglob("*.parquet")):
        assert filecmp.cmp(path, tmp_path / path.relative_to(SAMPLE), shallow=False), path


def test_every_extract_has_its_exact_schema():
    for e in EXTRACTS:
        files = sorted((SAMPLE / e.name).glob("*.parquet")) if e.split else [SAMPLE / f"{e.name}.parquet"]
        assert files, e.name
        for f in files:
            assert pq.read_schema(f).remove_metadata() == e.arrow_schema(), f


# ---------------------------------------------------------------- 2. valid rows
VALIDITY = [
    "SELECT count(*) - count(DISTINCT applicant_id) FROM applicants",
    "SELECT count(*) - count(DISTINCT id_number) FROM applicants",
    "SELECT count(*) FROM (SELECT applicant_id, insurance_type, month FROM si GROUP BY ALL HAVING count(*) > 1)",
    "SELECT count(*) FROM si WHERE applicant_id NOT IN (SELECT applicant_id FROM applicants) OR month < DATE '1992-01-01' OR day(month) <> 1",
    "SELECT count(*) - count(DISTINCT claim_id) FROM property_claims",
    "SELECT count(*) - count(DISTINCT claim_id) FROM lease_filings",
    "SELECT count(*) - count(DISTINCT marriage_id) FROM marriages",
    "SELECT count(*) - count(DISTINCT record_id) FROM education",
    "SELECT count(*) FROM (SELECT applicant_id, tax_year FROM tax_payments GROUP BY ALL HAVING count(*) > 1)",
    "SELECT count(*) FROM applicants WHERE (status = 'submitted') <> (submitted_at IS NOT NULL)",
    "SELECT count(*) FROM applicants WHERE strptime(substr(id_number, 7, 8), '%Y%m%d')::DATE <> birth_date"
    " OR (substr(id_number, 17, 1)::INT % 2 = 1) <> (gender = 'male')",
    "SELECT count(*) FROM property_claims WHERE (verification = 'valid') <> (registered_on IS NOT NULL)"
    " OR (verification <> 'valid' AND certificate_expired_on IS NOT NULL) OR registered_on > certificate_expired_on"
    " OR (owner_relation IS NULL) <> (residence_kind = 'dormitory') OR (marriage_id IS NOT NULL) <> (owner_relation = 'spouse')"
    " OR claimed_start > claimed_end",
    "SELECT count(*) FROM lease_filings WHERE (verification = 'valid') <> (contract_start IS NOT NULL)"
    " OR (verification = 'valid') <> (contract_end IS NOT NULL) OR contract_start > contract_end"
    " OR (marriage_id IS NOT NULL) <> (tenant_relation = 'spouse') OR claimed_start > claimed_end",
    "SELECT count(*) FROM (SELECT marriage_id, applicant_id FROM property_claims UNION ALL SELECT marriage_id, applicant_id FROM lease_filings) c"
    " WHERE marriage_id IS NOT NULL AND (marriage_id, applicant_id) NOT IN (SELECT (marriage_id, applicant_id) FROM marriages)",
    "SELECT count(*) FROM marriages WHERE divorced_on < married_on",
    "SELECT count(*) FROM education WHERE (education_level IS NULL) <> (graduated_on IS NULL)"
    " OR (degree IS NULL) <> (degree_awarded_on IS NULL) OR (education_level IS NULL AND degree IS NULL)",
    "SELECT count(*) FROM awards WHERE award_code NOT IN (SELECT code FROM valid_awards_catalogue)",
    "SELECT count(*) FROM tax_payments WHERE tax_year NOT BETWEEN 1994 AND {year} OR iit_paid_cny < 0",
    "SELECT count(*) FROM tax_violations WHERE fine_cny < 0",
]


def test_rows_are_valid(con):
    con.execute(f"CREATE OR REPLACE TABLE valid_awards_catalogue AS SELECT code FROM read_csv('{P.award_catalogue}', all_varchar = true)")
    for query in VALIDITY:
        assert count(con, query.replace("{year}", str(P.year))) == 0, query
    for e in EXTRACTS:
        name = "si" if e.name == "social_insurance" else e.name
        for c in e.columns:
            if c.enum:
                bad = f"SELECT count(*) FROM {name} WHERE {c.name} NOT IN ({', '.join(repr(v) for v in c.enum)})"
                assert count(con, bad) == 0, bad
            if c.type in ("date", "month"):
                bad = f"SELECT count(*) FROM {name} WHERE {c.name} NOT BETWEEN DATE '1900-01-01' AND DATE '{P.year}-12-31'"
                assert count(con, bad) == 0, bad
            if c.name == "district_code":
                bad = f"SELECT count(*) FROM {name} WHERE district_code NOT IN ({', '.join(repr(d) for d in DISTRICTS)})"
                assert count(con, bad) == 0, bad
            if c.fk and c.fk[0] == "applicants":
                bad = f"SELECT count(*) FROM {name} WHERE applicant_id NOT IN (SELECT applicant_id FROM applicants)"
                assert count(con, bad) == 0, bad


def test_check_characters(con):
    ids = [r[0] for r in con.sql("SELECT id_number FROM applicants UNION ALL SELECT spouse_id_number FROM marriages").fetchall()]
    digits = np.array([[int(ch) for ch in i[:17]] for i in ids])
    assert (id_check_char(digits) == np.array([i[17] for i in ids])).all()
    codes = [r[0] for r in con.sql("SELECT DISTINCT employer_uscc FROM applicants").fetchall()]
    idx = np.array([[USCC_CHARSET.index(ch) for ch in c[:17]] for c in codes])
    assert (uscc_check_char(idx) == np.array([c[17] for c in codes])).all()


def test_si_district_is_the_current_employers(con):
    """The last SI month's district equals the district digits of the employer's USCC."""
    bad = """SELECT count(*) FROM applicants a JOIN (SELECT applicant_id, arg_max(district_code, month) d FROM si
             WHERE insurance_type = 'pension' GROUP BY ALL) s USING (applicant_id) WHERE substr(a.employer_uscc, 3, 6) <> s.d"""
    assert count(con, bad) == 0


# ---------------------------------------------------------------- 3. rule coverage
@pytest.mark.parametrize("case", list(COVERAGE))
def test_rule_case_occurs(con, case):
    assert count(con, COVERAGE[case]) > 0, case


def test_score_scale_is_plausible(con):
    """Employment alone: most submitted applicants have 5-25 years since 1998-07."""
    years = con.sql("SELECT quantile_cont(n, 0.5) / 12 FROM (SELECT applicant_id, max(n) n FROM mt GROUP BY 1)").fetchall()[0][0]
    assert 8 < years < 20


# ---------------------------------------------------------------- 4. determinism
def files(d: Path) -> list[Path]:
    return sorted(p.relative_to(d) for p in d.rglob("*.parquet"))


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_snapshot(2026, 300, 11, a)
    generate_snapshot(2026, 300, 11, b)
    generate_snapshot(2026, 300, 12, c)
    assert files(a) == files(b) == files(c)
    assert len(files(a)) == len(EXTRACTS) - 1 + 1  # 12 files + one social-insurance part
    assert all(filecmp.cmp(a / f, b / f, shallow=False) for f in files(a))
    assert not filecmp.cmp(a / "social_insurance/part-00000.parquet", c / "social_insurance/part-00000.parquet", shallow=False)
    assert not filecmp.cmp(a / "applicants.parquet", c / "applicants.parquet", shallow=False)


def test_empty_snapshot_has_full_schemas(tmp_path):
    generate_snapshot(2026, 0, 1, tmp_path)
    for e in EXTRACTS:
        path = tmp_path / e.name / "part-00000.parquet" if e.split else tmp_path / f"{e.name}.parquet"
        assert pq.read_schema(path).remove_metadata() == e.arrow_schema()
        assert pq.read_metadata(path).num_rows == 0
