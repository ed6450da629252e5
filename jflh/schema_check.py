"""The data contract of the input extracts (../shared/spec/extracts.md).

Two levels, as the page's "Bad input" section requires:

* structural — a missing extract or column, or a wrong column type, raises
  `ContractError` before anything is read (`locate`, `check_structure`);
* row-level — every other rule of the page is evaluated in DuckDB and every
  offending row is listed in the table `violations` with the rule it broke
  (`register`, `find_violations`); the run quarantines those rows and goes on.

Column lists, types, enumerations, keys and foreign keys come from
`jflh.extracts`; the cross-field rules of the page ("null unless X", orders,
check characters, ID vs birth date and gender) are declared in the tables
below. Rule ids (the `rule` column):

  not_null, enum, range, month_day, null_unless, at_least_one, order, unique,
  fk, same_applicant, format, check_digit, id_birth_date, id_gender, district,
  award_code

`detail` never contains a raw ID number (outputs.md: no raw ID numbers in the
results): ID problems are described by position, length and check character.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from jflh import params as params_mod
from jflh.extracts import BY_NAME, DISTRICTS, EXTRACTS, Extract
from jflh.ids import ID_CHECK, ID_WEIGHTS, USCC_CHARSET, USCC_WEIGHTS

# --------------------------------------------------------------------------
# Cross-field rules of extracts.md, by (extract, column)
# --------------------------------------------------------------------------

FIRST_DATE = dt.date(1900, 1, 1)  # "every date and month lies between 1900-01-01 and 31 Dec Y"
MIN_DATE: dict[tuple[str, str], dt.date] = {("social_insurance", "month"): dt.date(1992, 1, 1)}
INT_RANGES: dict[tuple[str, str], tuple[int, str]] = {
    # (lower bound, upper bound as a SQL expression of Y)
    ("tax_payments", "tax_year"): (1994, "{Y}"),
}
# 18-character resident ID numbers (GB 11643); birth_date/gender cross-checks
# apply only where the row carries them (applicants).
ID_COLUMNS: tuple[tuple[str, str], ...] = (("applicants", "id_number"), ("marriages", "spouse_id_number"))
ID_BIRTH_GENDER: dict[tuple[str, str], tuple[str, str]] = {
    ("applicants", "id_number"): ("birth_date", "gender"),
}
USCC_COLUMNS: tuple[tuple[str, str], ...] = (("applicants", "employer_uscc"),)
AWARD_COLUMNS: tuple[tuple[str, str], ...] = (("awards", "award_code"),)
DISTRICT_COLUMN = "district_code"  # in every extract that has it


@dataclass(frozen=True)
class NullUnless:
    """`column` is non-null exactly when `when` holds (iff=True), or only
    allowed when it holds (iff=False: may be null anyway)."""

    extract: str
    column: str
    when: str  # SQL predicate over the row; NULL counts as false
    text: str  # the predicate for humans
    by: tuple[str, ...] = ()  # non-nullable columns of `when`: if null, only not_null is reported
    iff: bool = True


_VALID = ("verification = 'valid'", "verification = 'valid'", ("verification",))
NULL_UNLESS: tuple[NullUnless, ...] = (
    NullUnless("applicants", "submitted_at", "status = 'submitted'", "status = 'submitted'", ("status",)),
    NullUnless("property_claims", "owner_relation", "residence_kind = 'owned'", "residence_kind = 'owned'",
               ("residence_kind",)),
    NullUnless("property_claims", "marriage_id", "owner_relation = 'spouse'", "owner_relation = 'spouse'"),
    NullUnless("property_claims", "registered_on", *_VALID),
    NullUnless("property_claims", "certificate_expired_on", *_VALID, iff=False),
    NullUnless("lease_filings", "marriage_id", "tenant_relation = 'spouse'", "tenant_relation = 'spouse'",
               ("tenant_relation",)),
    NullUnless("lease_filings", "contract_start", *_VALID),
    NullUnless("lease_filings", "contract_end", *_VALID),
    NullUnless("education", "graduated_on", "education_level IS NOT NULL", "education_level is set"),
    NullUnless("education", "degree_awarded_on", "degree IS NOT NULL", "degree is set"),
)
AT_LEAST_ONE: dict[str, tuple[str, ...]] = {"education": ("education_level", "degree")}
# (extract, earlier, later): earlier <= later when both are set.
ORDERS: tuple[tuple[str, str, str], ...] = (
    ("property_claims", "claimed_start", "claimed_end"),
    ("property_claims", "registered_on", "certificate_expired_on"),
    ("lease_filings", "claimed_start", "claimed_end"),
    ("lease_filings", "contract_start", "contract_end"),
    ("marriages", "married_on", "divorced_on"),
)

NULL_TEXT = "<null>"  # a null key part in row_key

STRING_TYPES = (pa.string(), pa.large_string(), pa.string_view())


# --------------------------------------------------------------------------
# Structural level
# --------------------------------------------------------------------------


class ContractError(Exception):
    """A structural contract failure: the run must stop before writing anything."""

    def __init__(self, extract: str | None, column: str | None, rule: str, message: str,
                 rows: int | None = None, path: str | None = None):
        self.extract = extract
        self.column = column
        self.rule = rule
        self.rows = rows
        self.path = path
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = "snapshot" if self.extract is None else f"extract '{self.extract}'"
        if self.path:
            where += f" ({self.path})"
        if self.column:
            where += f", column '{self.column}'"
        rows = "" if self.rows is None else f", {self.rows} rows"
        return f"data contract violation [{self.rule}{rows}] in {where}: {self.message}"


def locate(snapshot: Path) -> dict[str, str]:
    """Extract name -> DuckDB read_parquet argument: 'DIR/NAME.parquet' or
    'DIR/NAME/*.parquet' for a split extract. All thirteen must be present."""
    snapshot = Path(snapshot)
    if not snapshot.is_dir():
        raise ContractError(None, None, "missing_snapshot",
                            f"snapshot directory {snapshot} does not exist", path=str(snapshot))
    found: dict[str, str] = {}
    missing: list[str] = []
    for e in EXTRACTS:
        file, folder = snapshot / f"{e.name}.parquet", snapshot / e.name
        has_file = file.is_file()
        has_dir = folder.is_dir() and any(p.is_file() for p in folder.glob("*.parquet"))
        if has_file and has_dir:
            raise ContractError(e.name, None, "ambiguous_extract",
                                f"both {file} and {folder}/ exist; keep one", path=str(file))
        if has_file:
            found[e.name] = str(file)
        elif has_dir:
            found[e.name] = str(folder / "*.parquet")
        else:
            missing.append(e.name)
    if missing:
        first = missing[0]
        also = f"; also missing: {', '.join(missing[1:])}" if len(missing) > 1 else ""
        raise ContractError(
            first, None, "missing_extract",
            f"missing extract (expected {snapshot / (first + '.parquet')} "
            f"or {snapshot / first}/*.parquet){also}",
            path=str(snapshot / first))
    return found


def files(path: str) -> list[Path]:
    """The Parquet files behind a `locate()` path, in name order."""
    if path.endswith("*.parquet"):
        return sorted(p for p in Path(path).parent.glob("*.parquet") if p.is_file())
    return [Path(path)]


def _type_ok(actual: pa.DataType, expected: pa.DataType) -> bool:
    if expected == pa.string():
        return actual in STRING_TYPES
    if pa.types.is_timestamp(expected):
        return pa.types.is_timestamp(actual) and actual.unit == expected.unit and actual.tz is None
    return actual == expected


def check_structure(snapshot: Path) -> dict[str, str]:
    """locate() + every file's Parquet schema (metadata only) against
    `Extract.arrow_schema()`. Extra columns are fine; nullability is checked
    row by row (`not_null`), not from the Parquet schema."""
    paths = locate(snapshot)
    problems: list[ContractError] = []
    for e in EXTRACTS:
        parts = files(paths[e.name])
        metas = []
        for f in parts:
            try:
                pf = pq.ParquetFile(f)
                metas.append((f, pf.schema_arrow, pf.metadata.num_rows))
            except Exception as exc:  # noqa: BLE001 - any unreadable file is a contract failure
                problems.append(ContractError(e.name, None, "unreadable",
                                              f"cannot read Parquet metadata: {exc}", path=str(f)))
        total = sum(n for _, _, n in metas)
        for field in e.arrow_schema():
            for f, schema, _n in metas:
                idx = schema.get_field_index(field.name)
                if idx < 0:
                    problems.append(ContractError(
                        e.name, field.name, "missing_column",
                        f"column is missing (expected type {field.type})", rows=total, path=str(f)))
                    break
                actual = schema.field(idx).type
                if not _type_ok(actual, field.type):
                    kind = e.column(field.name).type
                    problems.append(ContractError(
                        e.name, field.name, "type",
                        f"has type {actual}, expected {field.type}"
                        + (f" (spec type {kind})" if kind != str(field.type) else ""), rows=total, path=str(f)))
                    break
    if problems:
        first = problems[0]
        if len(problems) > 1:
            more = "; ".join(f"{p.extract}.{p.column or ''} {p.rule}" for p in problems[1:6])
            first.message += f" (+{len(problems) - 1} more: {more}{' …' if len(problems) > 6 else ''})"
        raise first
    return paths


# --------------------------------------------------------------------------
# Row level
# --------------------------------------------------------------------------


def _lit(value: str) -> str:
    """A SQL string literal (quotes doubled; DuckDB has no backslash escapes)."""
    return "'" + str(value).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def register(con: duckdb.DuckDBPyConnection, paths: dict[str, str]) -> None:
    """Views raw_<name>: the spec columns + `_file` (the file path) and `_row`
    (the row number in that file): (_file, _row) identifies a row, e.g. to
    exclude quarantined rows. Paths are embedded as SQL literals with quotes
    doubled (views cannot take parameters); glob characters other than the
    split extract's '*.parquet' are not escaped."""
    for e in EXTRACTS:
        cols = ", ".join(_ident(c) for c in e.column_names)
        con.execute(
            f"CREATE OR REPLACE VIEW {_ident('raw_' + e.name)} AS "
            f"SELECT {cols}, _file, file_row_number AS _row "
            f"FROM read_parquet({_lit(paths[e.name])}, filename='_file', file_row_number=true, "
            f"hive_partitioning=false, union_by_name=true)")


def _txt(col: str) -> str:
    """Quoted text of a column's value for `detail`."""
    return f"concat('''', CAST({_ident(col)} AS VARCHAR), '''')"


def row_key_columns(e: Extract) -> tuple[str, ...]:
    """Key of an extract for `row_key`; all columns when it has no key
    (residence_permits: applicant_id|issued_on)."""
    return e.key or e.column_names


def _row_key_sql(e: Extract) -> str:
    parts = [f"coalesce(CAST({_ident(c)} AS VARCHAR), {_lit(NULL_TEXT)})" for c in row_key_columns(e)]
    return parts[0] if len(parts) == 1 else f"concat_ws('|', {', '.join(parts)})"


def _id_checksum_sql(col: str) -> str:
    terms = " + ".join(f"(ascii(substr({col}, {i + 1}, 1)) - 48) * {int(w)}"
                       for i, w in enumerate(ID_WEIGHTS))
    return f"substr({_lit(''.join(ID_CHECK))}, (({terms}) % 11) + 1, 1)"


def _uscc_checksum_sql(col: str) -> str:
    cs = _lit(USCC_CHARSET)
    terms = " + ".join(f"(strpos({cs}, substr({col}, {i + 1}, 1)) - 1) * {int(w)}"
                       for i, w in enumerate(USCC_WEIGHTS))
    return f"substr({cs}, ((31 - ({terms}) % 31) % 31) + 1, 1)"


ID_REGEX = "[0-9]{17}[0-9X]"
USCC_REGEX = "[" + USCC_CHARSET + "]{18}"


@dataclass
class _Plan:
    """Row predicates of one extract: rule -> [(condition, detail)], plus the
    extra columns (window counts, FK joins) they need."""

    e: Extract
    checks: OrderedDict
    windows: list[str]  # derived columns: window counts, expected check characters
    joins: list[str]

    def add(self, rule: str, cond: str, detail: str) -> None:
        self.checks.setdefault(rule, []).append((cond, detail))


def _same_applicant(e: Extract, fk: tuple[str, str]) -> bool:
    """An FK into another applicant-keyed extract (marriage_id -> marriages)
    must reference a row of the same applicant."""
    target = BY_NAME[fk[0]]
    return fk[0] != "applicants" and "applicant_id" in target.column_names and "applicant_id" in e.column_names


def _fk_table(fk: tuple[str, str]) -> str:
    return _ident(f"_fk_{fk[0]}_{fk[1]}")


def _create_fk_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One temp table of the existing keys per FK target: k (and apps, the
    applicants holding that key, for same-applicant FKs)."""
    made: dict[str, str] = {}
    for e in EXTRACTS:
        for c in e.columns:
            if not c.fk or _fk_table(c.fk) in made:
                continue
            target, tcol = c.fk
            name, raw, col = _fk_table(c.fk), _ident("raw_" + target), _ident(tcol)
            if _same_applicant(e, c.fk):
                q = (f"SELECT {col} AS k, list(DISTINCT applicant_id) AS apps FROM {raw} "
                     f"WHERE {col} IS NOT NULL GROUP BY ALL")
            else:
                q = f"SELECT DISTINCT {col} AS k FROM {raw} WHERE {col} IS NOT NULL"
            made[name] = q
    for name, q in made.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {q}")
    return list(made)


def _plan(e: Extract, year: int, award_codes: list[str], *, si_fast: bool) -> _Plan:
    """All per-row rules of extract `e`. With si_fast, uniqueness and FKs are
    left out (done by `_social_insurance_set_rules`)."""
    p = _Plan(e, OrderedDict(), [], [])
    last_day = dt.date(year, 12, 31)
    ident = _ident

    for c in e.columns:
        col = ident(c.name)
        if not c.nullable:
            p.add("not_null", f"{col} IS NULL", _lit(f"{c.name} is null"))
    for c in e.columns:
        col = ident(c.name)
        if c.enum:
            allowed = ", ".join(_lit(v) for v in c.enum)
            p.add("enum", f"{col} NOT IN ({allowed})",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(' not in (' + ', '.join(c.enum) + ')')})")
        if c.type in ("date", "month"):
            lo = MIN_DATE.get((e.name, c.name), FIRST_DATE)
            p.add("range", f"({col} < DATE '{lo}' OR {col} > DATE '{last_day}')",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(f' outside {lo} .. {last_day}')})")
        if c.type == "month":
            p.add("month_day", f"day({col}) <> 1",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(' is not the first day of a month')})")
        if c.type == "decimal":
            p.add("range", f"{col} < 0",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(' is negative')})")
        if (e.name, c.name) in INT_RANGES:
            lo, hi = INT_RANGES[(e.name, c.name)]
            hi = int(hi.format(Y=year))
            p.add("range", f"({col} < {lo} OR {col} > {hi})",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(f' outside {lo} .. {hi}')})")
        if c.name == DISTRICT_COLUMN:
            codes = ", ".join(_lit(d) for d in DISTRICTS)
            p.add("district", f"{col} NOT IN ({codes})",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(' is not a Beijing district code')})")
        if (e.name, c.name) in AWARD_COLUMNS:
            codes = ", ".join(_lit(v) for v in award_codes) or "NULL"
            p.add("award_code", f"{col} NOT IN ({codes})",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(f' is not in the {year} award catalogue')})")
        if (e.name, c.name) in ID_COLUMNS:
            fmt_ok = f"regexp_full_match({col}, {_lit(ID_REGEX)})"
            p.add("format", f"NOT {fmt_ok}",
                  f"concat({_lit(c.name + ' is not 17 digits + digit/X (length ')}, length({col}), ')')")
            expect = f"_expect_{c.name}"
            p.windows.append(f"{_id_checksum_sql(col)} AS {expect}")
            p.add("check_digit", f"{fmt_ok} AND substr({col}, 18, 1) <> {expect}",
                  f"concat({_lit(c.name + ' check digit ')}, substr({col}, 18, 1), "
                  f"{_lit(' should be ')}, {expect})")
            if (e.name, c.name) in ID_BIRTH_GENDER:
                bcol, gcol = ID_BIRTH_GENDER[(e.name, c.name)]
                born = f"try_strptime(substr({col}, 7, 8), '%Y%m%d')::DATE"
                p.add("id_birth_date",
                      f"{fmt_ok} AND {ident(bcol)} IS NOT NULL AND {born} IS DISTINCT FROM {ident(bcol)}",
                      f"concat({_lit(c.name + ' birth date ')}, substr({col}, 7, 8), "
                      f"CASE WHEN {born} IS NULL THEN ' (impossible date)' ELSE '' END, "
                      f"{_lit(' differs from ' + bcol + ' ')}, {_txt(bcol)})")
                p.add("id_gender",
                      f"{fmt_ok} AND {ident(gcol)} IN ('male', 'female') AND "
                      f"(((ascii(substr({col}, 17, 1)) - 48) % 2 = 1) <> ({ident(gcol)} = 'male'))",
                      f"concat({_lit(c.name + ' 17th digit ')}, substr({col}, 17, 1), "
                      f"{_lit(' disagrees with ' + gcol + ' ')}, {_txt(gcol)})")
        if (e.name, c.name) in USCC_COLUMNS:
            fmt_ok = f"regexp_full_match({col}, {_lit(USCC_REGEX)})"
            p.add("format", f"NOT {fmt_ok}",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(' is not 18 characters of the GB 32100 set')})")
            expect = f"_expect_{c.name}"
            p.windows.append(f"{_uscc_checksum_sql(col)} AS {expect}")
            p.add("check_digit", f"{fmt_ok} AND substr({col}, 18, 1) <> {expect}",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(' check character should be ')}, {expect})")

    for nu in NULL_UNLESS:
        if nu.extract != e.name:
            continue
        col, when = ident(nu.column), f"coalesce(({nu.when}), false)"
        # governed by a null non-nullable column: reported as not_null only
        guard = " AND ".join(f"{ident(g)} IS NOT NULL" for g in nu.by) or "true"
        p.add("null_unless", f"{col} IS NOT NULL AND NOT {when} AND {guard}",
              _lit(f"{nu.column} is set but not {nu.text}"))
        if nu.iff:
            p.add("null_unless", f"{col} IS NULL AND {when} AND {guard}",
                  _lit(f"{nu.column} is null but {nu.text}"))
    if e.name in AT_LEAST_ONE:
        cols = AT_LEAST_ONE[e.name]
        p.add("at_least_one", " AND ".join(f"{ident(c)} IS NULL" for c in cols),
              _lit(f"all of {', '.join(cols)} are null"))
    for ex, lo, hi in ORDERS:
        if ex == e.name:
            p.add("order", f"{ident(lo)} > {ident(hi)}",
                  f"concat({_lit(lo + ' ')}, {_txt(lo)}, {_lit(' is after ' + hi + ' ')}, {_txt(hi)})")

    if not si_fast:
        keys = []
        if e.key:
            keys.append(e.key)
        keys.extend((u,) for u in e.unique)
        for n, key in enumerate(keys):
            w = f"_dup{n}"
            part = ", ".join(ident(k) for k in key)
            p.windows.append(f"count(*) OVER (PARTITION BY {part}) AS {w}")
            nonnull = " AND ".join(f"{ident(k)} IS NOT NULL" for k in key)
            sensitive = any((e.name, k) in ID_COLUMNS for k in key)
            shown = _lit("") if sensitive else \
                "concat(' ', " + ", '|', ".join(f"CAST({ident(k)} AS VARCHAR)" for k in key) + ")"
            p.add("unique", f"{nonnull} AND {w} > 1",
                  f"concat({_lit('duplicate ' + '+'.join(key))}, {shown}, ': ', {w}, ' rows')")
        for c in e.columns:
            if not c.fk:
                continue
            target, tcol = c.fk
            alias = f"_fk_{c.name}"
            same_applicant = _same_applicant(e, c.fk)
            keys = _fk_table(c.fk)
            if same_applicant:
                p.joins.append(f"LEFT JOIN (SELECT k AS {alias}, apps AS {alias}_apps FROM {keys}) "
                               f"ON r.{ident(c.name)} = {alias}")
            else:
                p.joins.append(f"LEFT JOIN (SELECT k AS {alias} FROM {keys}) ON r.{ident(c.name)} = {alias}")
            p.add("fk", f"{ident(c.name)} IS NOT NULL AND {alias} IS NULL",
                  f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, {_lit(f' not found in {target}.{tcol}')})")
            if same_applicant:
                p.add("same_applicant",
                      f"{alias} IS NOT NULL AND applicant_id IS NOT NULL "
                      f"AND NOT list_contains({alias}_apps, applicant_id)",
                      f"concat({_lit(c.name + ' ')}, {_txt(c.name)}, "
                      f"{_lit(f' is a {target} row of another applicant')})")
    return p


def _violation_select(p: _Plan, extra: str = "") -> str:
    """One scan of raw_<name>: every failed rule of a row, one output row each.
    Rows failing no condition are filtered out first; on the others each
    condition becomes a boolean column _cN and each failed rule a struct."""
    e = p.e
    flags, items, n = [], [], 0
    for rule, pairs in p.checks.items():
        names = []
        for cond, _ in pairs:
            names.append(f"_c{n}")
            flags.append(f"coalesce(({cond}), false) AS _c{n}")
            n += 1
        if len(pairs) == 1:
            detail = pairs[0][1]
        else:
            detail = "concat_ws('; ', " + ", ".join(
                f"CASE WHEN {c} THEN {d} END" for c, (_, d) in zip(names, pairs)) + ")"
        items.append(f"CASE WHEN {' OR '.join(names)} THEN "
                     f"{{'rule': {_lit(rule)}, 'detail': {detail}}} END")
    # the filter repeats the raw conditions (NULL = not failed) so that the
    # flags and structs are only built for the rare failing rows
    any_fail = " OR ".join(f"({cond})" for pairs in p.checks.values() for cond, _ in pairs)
    source = f"{_ident('raw_' + e.name)} r"
    if p.windows or p.joins:
        source = (f"(SELECT *{''.join(', ' + w for w in p.windows)} FROM {_ident('raw_' + e.name)} r "
                  f"{' '.join(p.joins)}) r")
    return (
        f"SELECT {_lit(e.name)} AS extract, {_row_key_sql(e)} AS row_key, v.rule, v.detail, "
        f"applicant_id, _file, _row{extra} FROM ("
        f"SELECT *, unnest(list_filter([{', '.join(items)}], lambda x: x IS NOT NULL)) AS v FROM ("
        f"SELECT *, {', '.join(flags)} FROM {source} WHERE {any_fail}))"
    )


VIOLATION_COLUMNS = "extract VARCHAR, row_key VARCHAR, rule VARCHAR, detail VARCHAR, " \
                    "applicant_id VARCHAR, _file VARCHAR, _row BIGINT"


def award_codes(year: int) -> list[str]:
    """The `code`s of the year's award catalogue (params.award_catalogue)."""
    source = params_mod.PARAMETERS_DIR / f"{year}.yaml"
    stamp = source.stat().st_mtime_ns if source.exists() else None
    return list(_award_codes(year, stamp))


@functools.lru_cache(maxsize=8)
def _award_codes(year: int, _stamp: int | None) -> tuple[str, ...]:
    path = params_mod.load(year).award_catalogue
    with path.open(encoding="utf-8") as f:
        return tuple(row["code"] for row in csv.DictReader(f))


def find_violations(con: duckdb.DuckDBPyConnection, year: int) -> None:
    """Create table `violations`: one row per (offending row, rule broken)."""
    codes = award_codes(year)
    con.execute(f"CREATE OR REPLACE TABLE violations ({VIOLATION_COLUMNS})")
    fk_tables = _create_fk_tables(con)
    # the small extracts in one statement (one scan each), then the big one
    small = [_violation_select(_plan(e, year, codes, si_fast=False))
             for e in EXTRACTS if e.name != "social_insurance"]
    con.execute("INSERT INTO violations " + " UNION ALL ".join(f"({q})" for q in small))
    _social_insurance(con, year, codes)
    for t in fk_tables:
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _social_insurance(con: duckdb.DuckDBPyConnection, year: int, codes: list[str]) -> None:
    """The big extract: per-row rules in one filtering scan; uniqueness and FK
    from one aggregation by (applicant_id, insurance_type) comparing the row
    count with the number of distinct months (a bitstring per group); only
    groups that differ are re-read to name the duplicated rows."""
    e = BY_NAME["social_insurance"]
    raw = _ident("raw_social_insurance")
    p = _plan(e, year, codes, si_fast=True)
    con.execute("CREATE OR REPLACE TEMP TABLE _si_rows AS "
                + _violation_select(p, extra=", insurance_type AS _type, month AS _month"))
    con.execute("INSERT INTO violations SELECT * EXCLUDE (_type, _month) FROM _si_rows")

    lo = MIN_DATE[("social_insurance", "month")]
    lo_i, hi_i = params_mod.month_index(lo), year * 12 + 11  # bit domain: 1992-01 .. Dec Y
    ok = (f"(insurance_type IS NOT NULL AND month IS NOT NULL AND day(month) = 1 "
          f"AND month BETWEEN DATE '{lo}' AND DATE '{year}-12-01')")
    mi = "(year(month) * 12 + month(month) - 1)"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _si_groups AS "
        f"SELECT applicant_id, insurance_type, count(*) FILTER (WHERE {ok}) AS n, "
        f"coalesce(bit_count(bitstring_agg({mi}, {lo_i}, {hi_i}) FILTER (WHERE {ok})), 0) AS d "
        f"FROM {raw} WHERE applicant_id IS NOT NULL GROUP BY ALL")
    row_key = _row_key_sql(e)
    # FK: applicant ids of SI unknown to applicants
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _si_bad_fk AS SELECT DISTINCT applicant_id FROM _si_groups "
        f"WHERE applicant_id NOT IN (SELECT k FROM {_fk_table(BY_NAME['social_insurance'].column('applicant_id').fk)})")
    if con.sql("SELECT count(*) FROM _si_bad_fk").fetchall()[0][0]:
        con.execute(
            f"INSERT INTO violations SELECT 'social_insurance', {row_key}, 'fk', "
            f"concat('applicant_id ''', applicant_id, ''' not found in applicants.applicant_id'), "
            f"applicant_id, _file, _row FROM {raw} SEMI JOIN _si_bad_fk USING (applicant_id)")
    # unique inside the month domain: only the groups whose count differs
    con.execute("CREATE OR REPLACE TEMP TABLE _si_dup_groups AS "
                "SELECT applicant_id, insurance_type FROM _si_groups WHERE n <> d")
    if con.sql("SELECT count(*) FROM _si_dup_groups").fetchall()[0][0]:
        con.execute(
            f"INSERT INTO violations SELECT 'social_insurance', {row_key}, 'unique', "
            f"concat('duplicate applicant_id+insurance_type+month ', {row_key}, ': ', _k, ' rows'), "
            f"applicant_id, _file, _row FROM ("
            f"SELECT *, count(*) OVER (PARTITION BY applicant_id, insurance_type, month) AS _k "
            f"FROM {raw} SEMI JOIN _si_dup_groups USING (applicant_id, insurance_type) WHERE {ok}) "
            f"WHERE _k > 1")
    # unique outside the domain (month out of range or not day 1): those rows
    # all broke a per-row rule, so they are all in _si_rows already.
    con.execute(
        "INSERT INTO violations SELECT extract, row_key, 'unique', "
        "concat('duplicate applicant_id+insurance_type+month ', row_key, ': ', _k, ' rows'), "
        "applicant_id, _file, _row FROM ("
        "SELECT *, count(*) OVER (PARTITION BY applicant_id, _type, _month) AS _k FROM ("
        "SELECT DISTINCT extract, row_key, applicant_id, _file, _row, _type, _month FROM _si_rows "
        "WHERE applicant_id IS NOT NULL AND _type IS NOT NULL AND _month IS NOT NULL "
        "AND rule IN ('range', 'month_day'))) WHERE _k > 1")
    for t in ("_si_rows", "_si_groups", "_si_bad_fk", "_si_dup_groups"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def check_snapshot(snapshot: Path, year: int) -> pl.DataFrame:
    """check_structure + register + find_violations in an in-memory DuckDB;
    the violations without _file/_row, sorted; empty = clean."""
    paths = check_structure(Path(snapshot))
    con = duckdb.connect()
    try:
        register(con, paths)
        find_violations(con, year)
        return con.sql("SELECT extract, row_key, rule, detail, applicant_id FROM violations "
                       "ORDER BY extract, row_key, rule, _file, _row").pl()
    finally:
        con.close()
