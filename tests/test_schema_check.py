"""The data contract (extracts.md): structural errors and row-level rules."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from builders import (applicant, id_number, insurance, make_snapshot, schema_variant, uscc,
                      with_id_check)
from jflh import schema_check as sc
from jflh.extracts import EXTRACTS

YEAR = 2026
A1, A2 = "A000001", "A000002"


def base() -> dict[str, list[dict]]:
    """A small valid snapshot touching every extract and every "null unless" branch."""
    return {
        "applicants": [applicant(1), applicant(2, gender="female", birth_date="1990-02-03")],
        "residence_permits": [{"applicant_id": A1}, {"applicant_id": A2, "issued_on": "2018-05-20"}],
        "social_insurance": insurance(A1, "2024-11", "2025-12", types=("pension", "medical"))
        + insurance(A2, "2025-01", "2025-03", types=("pension",), district="110108"),
        "property_claims": [
            {"applicant_id": A1},  # P000001 owned self valid
            {"applicant_id": A2, "residence_kind": "dormitory", "verification": "pending"},  # P000002
            {"applicant_id": A1, "owner_relation": "spouse", "marriage_id": "M000001",
             "certificate_expired_on": "2020-06-30", "claimed_end": "2020-06"},  # P000003
        ],
        "lease_filings": [
            {"applicant_id": A1},  # L000001 valid
            {"applicant_id": A2, "verification": "invalid", "tenant_relation": "spouse",
             "marriage_id": "M000002"},  # L000002
        ],
        "marriages": [
            {"applicant_id": A1},  # M000001
            {"applicant_id": A2, "spouse_id_number": id_number("1988-08-08", "male", 5),
             "married_on": "2015-01-01", "divorced_on": "2019-12-31"},  # M000002
        ],
        "education": [
            {"applicant_id": A1},  # E000001 bachelor + bachelor
            {"applicant_id": A2, "education_level": None, "degree": "master",
             "source": "overseas"},  # E000002 degree only
        ],
        "tax_payments": [{"applicant_id": A1, "tax_year": 2023}, {"applicant_id": A1, "tax_year": 2024,
                                                                 "iit_paid_cny": "0"}],
        "tax_violations": [{"applicant_id": A1}],
        "criminal_records": [{"applicant_id": A2}],
        "detentions": [{"applicant_id": A2}],
        "awards": [{"applicant_id": A1}],
        "honors": [{"applicant_id": A1}],
    }


def triples(df) -> Counter:
    return Counter(zip(df["extract"], df["rule"], df["row_key"]))


def test_clean_snapshot_has_no_violations(tmp_path):
    df = sc.check_snapshot(make_snapshot(tmp_path, YEAR, **base()), YEAR)
    assert df.is_empty(), df
    assert df.columns == ["extract", "row_key", "rule", "detail", "applicant_id"]


def test_empty_snapshot_is_clean(tmp_path):
    assert sc.check_snapshot(make_snapshot(tmp_path, YEAR), YEAR).is_empty()


# ---------------------------------------------------------------- structural

def test_missing_extract(tmp_path):
    root = make_snapshot(tmp_path, YEAR, _omit=("awards", "honors"), **base())
    with pytest.raises(sc.ContractError) as err:
        sc.check_snapshot(root, YEAR)
    e = err.value
    assert (e.extract, e.column, e.rule) == ("awards", None, "missing_extract")
    assert "awards" in str(e) and "honors" in str(e) and str(tmp_path) in str(e)


def test_empty_split_directory_is_missing(tmp_path):
    root = make_snapshot(tmp_path, YEAR, **base())
    for f in (root / "social_insurance").iterdir():
        f.unlink()
    with pytest.raises(sc.ContractError) as err:
        sc.locate(root)
    assert err.value.extract == "social_insurance"


def test_missing_snapshot_directory(tmp_path):
    with pytest.raises(sc.ContractError, match="does not exist"):
        sc.locate(tmp_path / "nope")


def test_locate_paths(tmp_path):
    paths = sc.locate(make_snapshot(tmp_path, YEAR))
    assert paths["social_insurance"] == str(tmp_path / "social_insurance" / "*.parquet")
    assert paths["applicants"] == str(tmp_path / "applicants.parquet")
    assert set(paths) == {e.name for e in EXTRACTS}


@pytest.mark.parametrize("extract, schema, column, rule", [
    ("awards", schema_variant("awards", drop=("award_code",)), "award_code", "missing_column"),
    ("social_insurance", schema_variant("social_insurance", drop=("month",)), "month", "missing_column"),
    ("tax_payments", schema_variant("tax_payments", retype={"tax_year": pa.int64()}), "tax_year", "type"),
    ("tax_payments", schema_variant("tax_payments", retype={"iit_paid_cny": pa.decimal128(38, 2)}),
     "iit_paid_cny", "type"),
    ("tax_violations", schema_variant("tax_violations", retype={"fine_cny": pa.float64()}), "fine_cny", "type"),
    ("social_insurance", schema_variant("social_insurance", retype={"month": pa.timestamp("us")}),
     "month", "type"),
    ("applicants", schema_variant("applicants", retype={"submitted_at": pa.timestamp("ns")}),
     "submitted_at", "type"),
    ("applicants", schema_variant("applicants", retype={"submitted_at": pa.timestamp("us", tz="UTC")}),
     "submitted_at", "type"),
    ("applicants", schema_variant("applicants", retype={"birth_date": pa.string()}), "birth_date", "type"),
    ("applicants", schema_variant("applicants", retype={"employer_confirmed": pa.string()}),
     "employer_confirmed", "type"),
])
def test_structural_errors(tmp_path, extract, schema, column, rule):
    root = make_snapshot(tmp_path, YEAR, _schemas={extract: schema}, **base())
    with pytest.raises(sc.ContractError) as err:
        sc.check_structure(root)
    e = err.value
    assert (e.extract, e.column, e.rule) == (extract, column, rule)
    assert e.rows == len(base().get(extract, []))
    msg = str(e)
    assert extract in msg and column in msg and rule in msg and f"{e.rows} rows" in msg
    assert "\n" not in msg


def test_structure_accepts_extra_columns_and_large_strings(tmp_path):
    rows = base()
    rows["applicants"][0]["note"] = "extra"
    schema = schema_variant("honors", retype={"honor_type": pa.large_string()}, add={"x": pa.int64()})
    root = make_snapshot(tmp_path, YEAR, _schemas={"honors": schema}, **rows)
    assert sc.check_snapshot(root, YEAR).is_empty()


def test_quote_in_path(tmp_path):
    root = make_snapshot(tmp_path / "it's a \"dir\"", YEAR, **base())
    assert sc.check_snapshot(root, YEAR).is_empty()


# ---------------------------------------------------------------- row level

def _set(extract: str, i: int, **values):
    def apply(rows):
        rows[extract][i].update(values)
    return apply


def _app(i: int, **overrides):
    def apply(rows):
        defaults = {"gender": "female", "birth_date": "1990-02-03"} if i == 2 else {}
        rows["applicants"][i - 1] = applicant(i, **{**defaults, **overrides})
    return apply


def _add(extract: str, *new_rows):
    def apply(rows):
        rows[extract].extend(new_rows)
    return apply


def _both(*fs):
    def apply(rows):
        for f in fs:
            f(rows)
    return apply


SI1 = "A000001|pension|2024-11-01"
GOOD_ID = id_number("1985-06-15", "male", 1)
CASES = {
    # enum / not null
    "enum": (_set("applicants", 0, position_type="boss"), [("applicants", "enum", A1)]),
    "enum_si": (_set("social_insurance", 0, insurance_type="dental"),
                [("social_insurance", "enum", "A000001|dental|2024-11-01")]),
    "enum_honor": (_set("honors", 0, honor_type="hero"), [("honors", "enum", "H000001")]),
    "not_null": (_set("applicants", 1, employer_name=None), [("applicants", "not_null", A2)]),
    "not_null_si": (_set("social_insurance", 0, district_code=None), [("social_insurance", "not_null", SI1)]),
    "not_null_bool": (_set("applicants", 0, employer_confirmed=None), [("applicants", "not_null", A1)]),
    "not_null_once": (_set("applicants", 0, status=None), [("applicants", "not_null", A1)]),
    "not_null_two_cols_one_row": (_set("awards", 0, award_code=None, verification=None),
                                  [("awards", "not_null", "AW000001")]),
    # null unless, both directions
    "submitted_at_missing": (_app(1, submitted_at=None), [("applicants", "null_unless", A1)]),
    "submitted_at_on_draft": (_app(2, status="draft", submitted_at="2026-03-01T09:00:00"),
                              [("applicants", "null_unless", A2)]),
    "owner_relation_on_dormitory": (_set("property_claims", 1, owner_relation="self"),
                                    [("property_claims", "null_unless", "P000002")]),
    "owner_relation_missing": (_set("property_claims", 0, owner_relation=None),
                               [("property_claims", "null_unless", "P000001")]),
    "marriage_id_missing": (_set("property_claims", 2, marriage_id=None),
                            [("property_claims", "null_unless", "P000003")]),
    "marriage_id_on_self": (_set("property_claims", 0, marriage_id="M000001"),
                            [("property_claims", "null_unless", "P000001")]),
    "registered_on_pending": (_set("property_claims", 1, registered_on="2015-01-10"),
                              [("property_claims", "null_unless", "P000002")]),
    "registered_on_missing": (_set("property_claims", 0, registered_on=None),
                              [("property_claims", "null_unless", "P000001")]),
    "expired_on_pending": (_set("property_claims", 1, certificate_expired_on="2020-01-01"),
                           [("property_claims", "null_unless", "P000002")]),
    "lease_marriage_missing": (_set("lease_filings", 1, marriage_id=None),
                               [("lease_filings", "null_unless", "L000002")]),
    "contract_missing": (_set("lease_filings", 0, contract_start=None),
                         [("lease_filings", "null_unless", "L000001")]),
    "contract_on_invalid": (_set("lease_filings", 1, contract_start="2016-01-01", contract_end="2016-12-31"),
                            [("lease_filings", "null_unless", "L000002")]),
    "graduated_without_level": (_set("education", 1, graduated_on="2010-07-01"),
                                [("education", "null_unless", "E000002")]),
    "degree_date_missing": (_set("education", 0, degree_awarded_on=None),
                            [("education", "null_unless", "E000001")]),
    "no_level_no_degree": (_set("education", 1, degree=None, degree_awarded_on=None),
                           [("education", "at_least_one", "E000002")]),
    # ranges
    "date_before_1900": (_set("tax_violations", 0, penalty_date="1899-12-31"),
                         [("tax_violations", "range", "TV000001")]),
    "date_after_year": (_set("residence_permits", 0, issued_on="2027-01-01"),
                        [("residence_permits", "range", "A000001|2027-01-01")]),
    "last_day_of_year_ok": (_set("residence_permits", 0, issued_on="2026-12-31"), []),
    "si_before_1992": (_set("social_insurance", 0, month="1991-12"),
                       [("social_insurance", "range", "A000001|pension|1991-12-01")]),
    "si_january_y_ok": (_add("social_insurance", *insurance(A1, "2026-01", "2026-12", types=("injury",))), []),
    "si_after_year": (_set("social_insurance", 0, month="2027-01"),
                      [("social_insurance", "range", "A000001|pension|2027-01-01")]),
    "month_day": (_set("property_claims", 0, claimed_start="2015-01-15"),
                  [("property_claims", "month_day", "P000001")]),
    "month_day_si": (_set("social_insurance", 0, month="2024-11-15"),
                     [("social_insurance", "month_day", "A000001|pension|2024-11-15")]),
    "tax_year_low": (_set("tax_payments", 0, tax_year=1993), [("tax_payments", "range", "A000001|1993")]),
    "tax_year_high": (_set("tax_payments", 0, tax_year=2027), [("tax_payments", "range", "A000001|2027")]),
    "negative_money": (_set("tax_payments", 0, iit_paid_cny="-0.01"), [("tax_payments", "range", "A000001|2023")]),
    "negative_fine": (_set("tax_violations", 0, fine_cny=-5), [("tax_violations", "range", "TV000001")]),
    # orders
    "claimed_order": (_set("lease_filings", 0, claimed_start="2017-01"), [("lease_filings", "order", "L000001")]),
    "registered_after_expiry": (_set("property_claims", 2, registered_on="2020-07-01"),
                                [("property_claims", "order", "P000003")]),
    "contract_order": (_set("lease_filings", 0, contract_start="2017-01-01"),
                       [("lease_filings", "order", "L000001")]),
    "divorce_before_marriage": (_set("marriages", 1, divorced_on="2014-12-31"),
                                [("marriages", "order", "M000002")]),
    "same_day_ok": (_set("marriages", 1, divorced_on="2015-01-01"), []),
    # unique keys (every copy)
    "dup_claim_id": (_set("property_claims", 1, claim_id="P000001"),
                     [("property_claims", "unique", "P000001")] * 2),
    "dup_applicant_id": (_add("applicants", applicant(1, id_number=id_number("1985-06-15", "male", 777))),
                         [("applicants", "unique", A1)] * 2),
    "dup_id_number": (_app(2, gender="male", birth_date="1985-06-15", id_number=GOOD_ID),
                      [("applicants", "unique", A1), ("applicants", "unique", A2)]),
    "dup_tax_year": (_add("tax_payments", {"applicant_id": A1, "tax_year": 2023}),
                     [("tax_payments", "unique", "A000001|2023")] * 2),
    "dup_si": (_add("social_insurance", *insurance(A1, "2025-03", "2025-03", types=("medical",)) * 2),
               [("social_insurance", "unique", "A000001|medical|2025-03-01")] * 3),
    "dup_si_out_of_domain": (_both(_set("social_insurance", 0, month="1991-12"),
                                   _set("social_insurance", 1, month="1991-12")),
                             [("social_insurance", "range", "A000001|pension|1991-12-01")] * 2
                             + [("social_insurance", "unique", "A000001|pension|1991-12-01")] * 2),
    "dup_si_mid_month": (_both(_set("social_insurance", 0, month="2024-12-15"),
                               _set("social_insurance", 1, month="2024-12-15")),
                         [("social_insurance", "month_day", "A000001|pension|2024-12-15")] * 2
                         + [("social_insurance", "unique", "A000001|pension|2024-12-15")] * 2),
    "residence_permits_duplicates_ok": (_add("residence_permits", {"applicant_id": A1}), []),
    # foreign keys
    "fk_permit": (_add("residence_permits", {"applicant_id": "A999999"}),
                  [("residence_permits", "fk", "A999999|2015-01-01")]),
    "fk_si": (_add("social_insurance", *insurance("A999999", "2025-01", "2025-02", types=("pension",))),
              [("social_insurance", "fk", "A999999|pension|2025-01-01"),
               ("social_insurance", "fk", "A999999|pension|2025-02-01")]),
    "fk_marriage": (_set("property_claims", 2, marriage_id="M999999"), [("property_claims", "fk", "P000003")]),
    "fk_education": (_set("education", 0, applicant_id="B1"), [("education", "fk", "E000001")]),
    "same_applicant": (_set("property_claims", 2, marriage_id="M000002"),
                       [("property_claims", "same_applicant", "P000003")]),
    "same_applicant_lease": (_set("lease_filings", 1, marriage_id="M000001"),
                             [("lease_filings", "same_applicant", "L000002")]),
    # ID numbers and USCC
    "id_check_digit": (_app(1, id_number=GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")),
                       [("applicants", "check_digit", A1)]),
    "id_short": (_app(1, id_number=GOOD_ID[:17]), [("applicants", "format", A1)]),
    "id_lower_x": (_app(1, id_number=with_id_check("11000019850615002")[:17] + "x"),
                   [("applicants", "format", A1)]),
    "id_birth_date": (_app(1, id_number=id_number("1985-06-16", "male", 1)), [("applicants", "id_birth_date", A1)]),
    "id_impossible_date": (_app(1, id_number=with_id_check("11010519850230001")),
                           [("applicants", "id_birth_date", A1)]),
    "id_gender": (_app(1, id_number=id_number("1985-06-15", "female", 1)), [("applicants", "id_gender", A1)]),
    "spouse_id_check_digit": (_set("marriages", 0, spouse_id_number=id_number("1987-03-08", "female", 1)[:17] + "Y"),
                              [("marriages", "format", "M000001")]),
    "spouse_id_bad_check": (_set("marriages", 0, spouse_id_number=with_id_check("11010519870308002")[:17]
                                 + ("1" if with_id_check("11010519870308002")[17] != "1" else "2")),
                            [("marriages", "check_digit", "M000001")]),
    "uscc_check": (_app(1, employer_uscc=uscc(1)[:17] + ("0" if uscc(1)[17] != "0" else "1")),
                   [("applicants", "check_digit", A1)]),
    "uscc_charset": (_app(1, employer_uscc="I" + uscc(1)[1:]), [("applicants", "format", A1)]),
    # codes
    "district_si": (_set("social_insurance", 0, district_code="110100"), [("social_insurance", "district", SI1)]),
    "district_property": (_set("property_claims", 0, district_code="120101"),
                          [("property_claims", "district", "P000001")]),
    "award_code": (_set("awards", 0, award_code="nobel_peace"), [("awards", "award_code", "AW000001")]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_row_rule(tmp_path, case):
    corrupt, expected = CASES[case]
    rows = base()
    corrupt(rows)
    df = sc.check_snapshot(make_snapshot(tmp_path, YEAR, **rows), YEAR)
    assert triples(df) == Counter(expected), df.to_dicts()
    assert all(d for d in df["detail"]), df.to_dicts()


def test_details_name_column_and_value_but_never_an_id_number(tmp_path):
    rows = base()
    _set("applicants", 0, position_type="boss")(rows)
    _app(2, gender="male", birth_date="1990-02-03", id_number=with_id_check("11010519900203002")[:17] + "0")(rows)
    rows["marriages"][0]["spouse_id_number"] = GOOD_ID[:16]
    df = sc.check_snapshot(make_snapshot(tmp_path, YEAR, **rows), YEAR)
    details = dict(zip(zip(df["rule"], df["row_key"]), df["detail"]))
    assert "position_type" in details[("enum", A1)] and "'boss'" in details[("enum", A1)]
    for d in df["detail"]:
        for r in rows["applicants"]:
            assert r["id_number"] not in d
        assert GOOD_ID[:16] not in d
    assert "length 16" in details[("format", "M000001")]


def test_same_rule_twice_on_a_row_is_one_violation(tmp_path):
    rows = base()
    _set("property_claims", 1, registered_on="2015-01-10", certificate_expired_on="2020-01-01")(rows)
    df = sc.check_snapshot(make_snapshot(tmp_path, YEAR, **rows), YEAR)
    assert triples(df) == Counter([("property_claims", "null_unless", "P000002")])
    assert "registered_on" in df["detail"][0] and "certificate_expired_on" in df["detail"][0]


def test_row_identity_across_split_files(tmp_path):
    rows = base()
    rows["social_insurance"][-1]["district_code"] = "999999"  # last row of the last part
    rows["social_insurance"].append(dict(rows["social_insurance"][0]))  # dup of the first row
    root = make_snapshot(tmp_path, YEAR, _parts={"social_insurance": 3}, **rows)
    con = duckdb.connect()
    sc.register(con, sc.check_structure(root))
    sc.find_violations(con, YEAR)
    got = con.sql("SELECT rule, _file, _row, applicant_id FROM violations ORDER BY rule, _file, _row").fetchall()
    n = len(rows["social_insurance"])
    size = -(-n // 3)
    parts = [str(root / "social_insurance" / f"part-{k:05d}.parquet") for k in range(3)]
    assert got == [
        ("district", parts[2], n - 2 - 2 * size, A2),
        ("unique", parts[0], 0, A1),
        ("unique", parts[2], n - 1 - 2 * size, A1),
    ]
    # the identity excludes exactly the quarantined rows
    left = con.sql("SELECT count(*) FROM raw_social_insurance r ANTI JOIN violations v "
                   "ON v.extract = 'social_insurance' AND r._file = v._file AND r._row = v._row").fetchall()
    assert left == [(n - 3,)]


def test_year_moves_the_ranges(tmp_path):
    rows = base()
    _set("residence_permits", 0, issued_on="2026-06-01")(rows)
    root = make_snapshot(tmp_path, 2026, **rows)
    assert sc.check_snapshot(root, 2026).is_empty()


SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "2026"


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="sample_data/2026 not generated")
def test_sample_data_is_clean():
    df = sc.check_snapshot(SAMPLE, 2026)
    assert df.is_empty(), df.head(20)


def test_sql_check_characters_agree_with_ids_module():
    import random

    from jflh.ids import USCC_CHARSET, id_is_valid, uscc_is_valid

    rng = random.Random(11643)
    ids = [with_id_check("".join(rng.choice("0123456789") for _ in range(17))) for _ in range(300)]
    ids += ["".join(rng.choice("0123456789X") for _ in range(18)) for _ in range(700)]
    codes = [uscc(rng.randrange(10**9)) for _ in range(300)]
    codes += ["".join(rng.choice(USCC_CHARSET) for _ in range(18)) for _ in range(700)]
    con = duckdb.connect()
    got_ids = con.execute(f"SELECT s, regexp_full_match(s, '{sc.ID_REGEX}') AND substr(s, 18, 1) = "
                          f"{sc._id_checksum_sql('s')} FROM unnest(?) t(s)", [ids]).fetchall()
    got_codes = con.execute(f"SELECT s, regexp_full_match(s, '{sc.USCC_REGEX}') AND substr(s, 18, 1) = "
                            f"{sc._uscc_checksum_sql('s')} FROM unnest(?) t(s)", [codes]).fetchall()
    assert [ok for _, ok in got_ids] == [id_is_valid(s) for s, _ in got_ids]
    assert [ok for _, ok in got_codes] == [uscc_is_valid(s) for s, _ in got_codes]
    assert 250 < sum(ok for _, ok in got_ids) < 500 and 250 < sum(ok for _, ok in got_codes) < 500
