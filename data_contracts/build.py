"""Build the Great Expectations suites of the thirteen extracts from `jflh.extracts`.

The suites in `data_contracts/suites/*.json` are the readable, reviewed
contract (GX 1.x suite JSON, one file per extract). They are *generated* from
the single schema definition (`jflh.extracts`, plus the rule tables of
`jflh.schema_check`) and committed; `tests/test_contracts.py` regenerates them
and fails if a committed file differs, so the suites cannot drift from the
schema. Regenerate after changing the schema:

    python -m data_contracts.build

What each suite expresses (extracts.md), with the rule id the quarantine uses
(`schema_check`, table `violations`) in each expectation's `meta.rule`:

* columns and kinds of type — `expect_table_columns_to_match_set` (extra
  columns allowed), `expect_column_values_to_be_of_type` (rule `schema`; the
  exact Arrow type — int32 vs int64, decimal(18,2), timestamp[us] without zone
  — is checked from the Parquet metadata by `schema_check.check_structure`,
  which stops the run before GE sees the data);
* nulls (`not_null`), enumerations (`enum`), ranges of dates, months, years
  and money (`range`), months on day 1 (`month_day`), keys and unique columns
  (`unique`), ID number and credit-code patterns (`format`), district codes
  (`district`), award codes of the year's catalogue (`award_code`).

The year-dependent bounds are suite parameters filled at validation time:
`last_day` (31 Dec Y), `year` (Y) and `award_codes` (the year's catalogue).

Rules GE cannot express in a single-table expectation — foreign keys, "null
unless X", orders between columns, at-least-one, GB 11643 / GB 32100 check
characters, ID vs birth date and gender — are listed in the suite's
`meta.documented_checks`, each naming the rule id and where it is enforced
(`jflh.schema_check.find_violations`).
"""

from __future__ import annotations

import json
from pathlib import Path

from jflh import schema_check as sc
from jflh.extracts import DISTRICTS, EXTRACTS, Extract

SUITES_DIR = Path(__file__).resolve().parent / "suites"
SPEC = "shared/spec/extracts.md"

# Logical type -> the SQLAlchemy type class GE checks on DuckDB (isinstance);
# reflection reports VARCHAR as String and INTEGER as Integer.
GE_TYPES = {
    "string": "String", "bool": "BOOLEAN", "int32": "Integer", "date": "DATE",
    "month": "DATE", "timestamp": "TIMESTAMP", "decimal": "NUMERIC",
}

# Rule ids (schema_check) that the suites express; the others are documented checks.
GE_RULES = ("not_null", "enum", "range", "month_day", "unique", "format", "district", "award_code")
DOCUMENTED_RULES = ("null_unless", "at_least_one", "order", "fk", "same_applicant",
                    "check_digit", "id_birth_date", "id_gender")
ENFORCED_BY = "jflh.schema_check.find_violations"


def _exp(expectation: str, rule: str, notes: str, **kwargs) -> dict:
    return {"type": expectation, "kwargs": kwargs, "meta": {"rule": rule, "notes": notes}}


def _sql(rule: str, column: str, where: str, description: str) -> dict:
    """A row rule GE has no SQL-dialect expectation for (regex, day of month)."""
    return {
        "type": "unexpected_rows_expectation",
        "kwargs": {"unexpected_rows_query": f"SELECT * FROM {{batch}} WHERE {where}"},
        "description": description,
        "meta": {"rule": rule, "column": column, "notes": description},
    }


def _regex_braces(regex: str) -> str:
    # GE formats the query text with {batch}: literal braces are doubled.
    return regex.replace("{", "{{").replace("}", "}}")


def expectations(e: Extract) -> list[dict]:
    """Every rule of extracts.md for extract `e` that a GE expectation expresses."""
    out: list[dict] = [
        _exp("expect_table_columns_to_match_set", "schema",
             "all columns present; extra columns are ignored",
             column_set=list(e.column_names), exact_match=False),
    ]
    for c in e.columns:
        out.append(_exp("expect_column_values_to_be_of_type", "schema",
                        f"{c.type}; exact Arrow type checked by schema_check.check_structure",
                        column=c.name, type_=GE_TYPES[c.type]))
    for c in e.columns:
        if not c.nullable:
            out.append(_exp("expect_column_values_to_not_be_null", "not_null", "non-null", column=c.name))
    for c in e.columns:
        if c.enum:
            out.append(_exp("expect_column_values_to_be_in_set", "enum", "enumeration",
                            column=c.name, value_set=list(c.enum)))
        if c.type in ("date", "month"):
            lo = sc.MIN_DATE.get((e.name, c.name), sc.FIRST_DATE)
            out.append(_exp("expect_column_values_to_be_between", "range",
                            f"between {lo} and 31 Dec Y", column=c.name,
                            min_value=lo.isoformat(), max_value={"$PARAMETER": "last_day"}))
        if c.type == "month":
            out.append(_sql("month_day", c.name, f'day("{c.name}") <> 1',
                            f"{c.name} is a month: the first day of a month"))
        if c.type == "decimal":
            out.append(_exp("expect_column_values_to_be_between", "range", ">= 0",
                            column=c.name, min_value=0))
        if (e.name, c.name) in sc.INT_RANGES:
            lo, _hi = sc.INT_RANGES[(e.name, c.name)]
            out.append(_exp("expect_column_values_to_be_between", "range", f"{lo} .. Y",
                            column=c.name, min_value=lo, max_value={"$PARAMETER": "year"}))
        if c.name == sc.DISTRICT_COLUMN:
            out.append(_exp("expect_column_values_to_be_in_set", "district",
                            "a Beijing district code (GB/T 2260)", column=c.name,
                            value_set=list(DISTRICTS)))
        if (e.name, c.name) in sc.AWARD_COLUMNS:
            out.append(_exp("expect_column_values_to_be_in_set", "award_code",
                            "a code of the year's award_catalogue.csv", column=c.name,
                            value_set={"$PARAMETER": "award_codes"}))
        if (e.name, c.name) in sc.ID_COLUMNS:
            out.append(_sql("format", c.name,
                            f"NOT regexp_full_match(\"{c.name}\", '{_regex_braces(sc.ID_REGEX)}')",
                            f"{c.name}: 17 digits and a digit or X (GB 11643)"))
        if (e.name, c.name) in sc.USCC_COLUMNS:
            out.append(_sql("format", c.name,
                            f"NOT regexp_full_match(\"{c.name}\", '{_regex_braces(sc.USCC_REGEX)}')",
                            f"{c.name}: 18 characters of the GB 32100 character set"))
    keys = ([e.key] if e.key else []) + [(u,) for u in e.unique]
    for key in keys:
        if e.split and len(key) == 3 and e.column(key[2]).type == "month":
            out.append(_month_set_unique(key))
        elif len(key) == 1:
            out.append(_exp("expect_column_values_to_be_unique", "unique", "unique key", column=key[0]))
        else:
            out.append(_exp("expect_compound_columns_to_be_unique", "unique", "unique key",
                            column_list=list(key), ignore_row_if="any_value_is_missing"))
    return out


def _month_set_unique(key: tuple[str, ...]) -> dict:
    """Uniqueness of (applicant, type, month) on the big extract, as one
    aggregation per (applicant, type) comparing the row count with the number
    of distinct months (a bitstring of month indexes). GE's
    expect_compound_columns_to_be_unique hashes every row: at 100k applicants
    (86 M rows) it took 97 s and 12 GB, this takes seconds. Unexpected rows are
    (applicant, type) groups holding a duplicated month; rows whose month is not
    a first-of-month date in 1900..2199 are left to the range/month_day rules."""
    a, t, m = key
    index = f'year("{m}") * 12 + month("{m}") - 1'
    lo, hi = 1900 * 12, 2199 * 12 + 11
    where = (f'"{a}" IS NOT NULL AND "{t}" IS NOT NULL AND "{m}" IS NOT NULL AND day("{m}") = 1 '
             f"AND \"{m}\" BETWEEN DATE '1900-01-01' AND DATE '2199-12-01'")
    query = (f'SELECT "{a}", "{t}", count(*) AS rows_in_group FROM {{batch}} WHERE {where} GROUP BY ALL '
             f"HAVING count(*) <> bit_count(bitstring_agg({index}, {lo}, {hi}))")
    return {
        "type": "unexpected_rows_expectation",
        "kwargs": {"unexpected_rows_query": query},
        "description": f"{'+'.join(key)} is unique (groups of {a}+{t} with a repeated {m})",
        "meta": {"rule": "unique", "column": list(key),
                 "notes": "unexpected = groups, not rows; the quarantine lists every duplicated row"},
    }


def documented_checks(e: Extract) -> list[dict]:
    """The rules of extracts.md for `e` that no GE expectation expresses."""
    out: list[dict] = []

    def add(rule: str, columns: list[str], text: str) -> None:
        out.append({"rule": rule, "columns": columns, "check": text, "enforced_by": ENFORCED_BY})

    for c in e.columns:
        if c.fk:
            target, tcol = c.fk
            add("fk", [c.name], f"{c.name} references an existing {target}.{tcol}")
            if target != "applicants" and "applicant_id" in e.column_names:
                add("same_applicant", [c.name, "applicant_id"],
                    f"the referenced {target} row belongs to the same applicant")
    for nu in sc.NULL_UNLESS:
        if nu.extract == e.name:
            text = (f"{nu.column} is non-null exactly when {nu.text}" if nu.iff
                    else f"{nu.column} may be set only when {nu.text}")
            add("null_unless", [nu.column], text)
    if e.name in sc.AT_LEAST_ONE:
        cols = list(sc.AT_LEAST_ONE[e.name])
        add("at_least_one", cols, f"at least one of {', '.join(cols)} is non-null")
    for ex, lo, hi in sc.ORDERS:
        if ex == e.name:
            add("order", [lo, hi], f"{lo} <= {hi} when both are set")
    for ex, col in sc.ID_COLUMNS:
        if ex == e.name:
            add("check_digit", [col], f"{col} has a valid GB 11643 check digit")
            if (ex, col) in sc.ID_BIRTH_GENDER:
                bcol, gcol = sc.ID_BIRTH_GENDER[(ex, col)]
                add("id_birth_date", [col, bcol], f"{bcol} equals digits 7-14 of {col}")
                add("id_gender", [col, gcol], f"{gcol} agrees with the 17th digit of {col} (odd = male)")
    for ex, col in sc.USCC_COLUMNS:
        if ex == e.name:
            add("check_digit", [col], f"{col} has a valid GB 32100 check character")
    return out


def suite(e: Extract) -> dict:
    """The GX 1.x suite JSON of one extract."""
    return {
        "name": e.name,
        "expectations": expectations(e),
        "meta": {
            "description": e.description,
            "spec": f"{SPEC}#{e.name}",
            "generated_by": "python -m data_contracts.build (from jflh/extracts.py)",
            "key": list(e.key),
            "columns": {c.name: {"type": c.type, "nullable": c.nullable, "description": c.description}
                        for c in e.columns},
            "parameters": {"last_day": "31 Dec of the declaration year Y", "year": "Y",
                           "award_codes": "codes of parameters/award_catalogue_<Y>.csv"},
            "documented_checks": documented_checks(e),
        },
        "notes": None,
    }


def render(e: Extract) -> str:
    return json.dumps(suite(e), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    SUITES_DIR.mkdir(exist_ok=True)
    for e in EXTRACTS:
        (SUITES_DIR / f"{e.name}.json").write_text(render(e), encoding="utf-8")
    print(f"wrote {len(EXTRACTS)} suites to {SUITES_DIR}")


def load_suites_meta() -> dict[str, dict]:
    """extract -> the `meta` of its committed suite."""
    return {e.name: json.loads((SUITES_DIR / f"{e.name}.json").read_text(encoding="utf-8"))["meta"]
            for e in EXTRACTS}


if __name__ == "__main__":
    main()
