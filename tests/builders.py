"""Tiny valid snapshots for tests (extracts.md format), built from a few rows.

    root = make_snapshot(tmp_path, 2026,
        applicants=[applicant(1)],
        residence_permits=[{"applicant_id": "A000001", "issued_on": "2015-01-01"}],
        social_insurance=insurance("A000001", "2010-01", "2025-12"))

Every extract not given is written empty with its full schema. Missing columns
of a row get valid defaults (see DEFAULTS); defaults that a "null unless X"
rule ties to another column follow that column (a `dormitory` claim gets no
`owner_relation`, a `pending` one no `registered_on`, ...). Values may be
`datetime.date` or strings: 'YYYY-MM-DD' for dates, 'YYYY-MM' (or a full date)
for month columns, ISO text for timestamps, str/int/Decimal for money.
Row keys not in the schema are written as extra columns.

Broken snapshots for contract tests:
    _omit=("awards",)                          # extract not written
    _schemas={"awards": schema_variant("awards", drop=("award_code",))}
    _schemas={"tax_payments": schema_variant("tax_payments", retype={"tax_year": pa.int64()})}
    _parts={"social_insurance": 3}             # split extract written as 3 files
"""

from __future__ import annotations

import csv
import functools
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from jflh import params
from jflh.extracts import BY_NAME, EXTRACTS, INSURANCE_TYPES
from jflh.ids import USCC_CHARSET, id_check_char, uscc_check_char

__all__ = [
    "make_snapshot", "applicant", "insurance", "id_number", "with_id_check", "uscc", "schema_variant",
    "months", "first_award_code", "DEFAULTS",
]


# ---------------------------------------------------------------- identifiers

def id_number(birth_date: dt.date | str, gender: str = "male", seq: int = 1,
              region: str | None = None) -> str:
    """A valid GB 11643 ID number for a birth date and gender; `seq` varies
    the region and order code so that different seqs give different IDs."""
    born = _date(birth_date)
    q = seq % 500
    region = region or f"11{(seq // 500) % 10000:04d}"
    order = f"{q // 5:02d}{2 * (q % 5) + (1 if gender == 'male' else 0)}"
    return with_id_check(f"{region}{born:%Y%m%d}{order}")


def with_id_check(first17: str) -> str:
    """first17 + its GB 11643 check digit (e.g. to build an ID with an impossible date)."""
    return first17 + str(id_check_char(np.array([[int(c) for c in first17]]))[0])


def uscc(seq: int = 1) -> str:
    """A valid GB 32100 unified social credit code."""
    first17 = f"91110105{seq % 10**9:09d}"
    idx = np.array([[USCC_CHARSET.index(c) for c in first17]])
    return first17 + str(uscc_check_char(idx)[0])


# ---------------------------------------------------------------- row helpers

def applicant(i: int, **overrides: Any) -> dict:
    """A valid applicants row: A{i:06d}, male born 1985-06-15, worker,
    submitted and employer-confirmed, id_number/employer_uscc valid and
    consistent with birth_date/gender (recomputed from the overrides unless
    id_number itself is overridden)."""
    row = {
        "applicant_id": f"A{i:06d}",
        "name": f"申请人{i}",
        "gender": "male",
        "birth_date": dt.date(1985, 6, 15),
        "position_type": "worker",
        "employer_uscc": uscc(i),
        "employer_name": f"北京测试科技有限公司{i}",
        "employer_confirmed": True,
        "status": "submitted",
        "submitted_at": dt.datetime(2026, 3, 1, 10, 0, 0),
        "opts_job_residence": False,
        "tax_authorized": False,
    }
    row.update(overrides)
    if "submitted_at" not in overrides and row["status"] != "submitted":
        row["submitted_at"] = None
    if "id_number" not in overrides:
        gender = row["gender"] if row["gender"] in ("male", "female") else "male"
        born = row["birth_date"] if row["birth_date"] is not None else dt.date(1985, 6, 15)
        row["id_number"] = id_number(born, gender, i)
    return row


def months(first: str, last: str) -> list[dt.date]:
    """'YYYY-MM' .. 'YYYY-MM' inclusive, as first-of-month dates."""
    lo, hi = params.month_index(first), params.month_index(last)
    return [dt.date(m // 12, m % 12 + 1, 1) for m in range(lo, hi + 1)]


def insurance(applicant_id: str, first: str, last: str, types: Iterable[str] = INSURANCE_TYPES,
              district: str = "110105", back_paid: bool = False) -> list[dict]:
    """social_insurance rows: every type for every month first..last."""
    return [
        {"applicant_id": applicant_id, "insurance_type": t, "month": m,
         "district_code": district, "back_paid": back_paid}
        for t in types for m in months(first, last)
    ]


@functools.lru_cache(maxsize=None)
def first_award_code(year: int = 2026) -> str:
    with params.load(year).award_catalogue.open(encoding="utf-8") as f:
        return next(csv.DictReader(f))["code"]


# ---------------------------------------------------------------- defaults

def _valid(row: dict) -> bool:
    return row.get("verification") == "valid"


# extract -> column -> default value, or a function (row number n, row so far, year)
DEFAULTS: dict[str, dict[str, Any]] = {
    "applicants": {},  # use applicant(i)
    "social_insurance": {
        "applicant_id": "A000001", "insurance_type": "pension", "month": dt.date(2019, 1, 1),
        "district_code": "110105", "back_paid": False,
    },
    "property_claims": {
        "claim_id": lambda n, r, y: f"P{n:06d}",
        "applicant_id": "A000001",
        "residence_kind": "owned",
        "owner_relation": lambda n, r, y: "self" if r.get("residence_kind") == "owned" else None,
        "marriage_id": None,
        "certificate_no": lambda n, r, y: f"京(2015)朝阳区不动产权第{n:07d}号",
        "district_code": "110105",
        "claimed_start": dt.date(2015, 1, 1),
        "claimed_end": dt.date(2025, 12, 1),
        "verification": "valid",
        "registered_on": lambda n, r, y: dt.date(2015, 1, 10) if _valid(r) else None,
        "certificate_expired_on": None,
    },
    "lease_filings": {
        "claim_id": lambda n, r, y: f"L{n:06d}",
        "applicant_id": "A000001",
        "filing_no": lambda n, r, y: f"BJZL{n:08d}",
        "tenant_relation": "self",
        "marriage_id": None,
        "district_code": "110105",
        "claimed_start": dt.date(2016, 1, 1),
        "claimed_end": dt.date(2016, 12, 1),
        "verification": "valid",
        "contract_start": lambda n, r, y: dt.date(2016, 1, 1) if _valid(r) else None,
        "contract_end": lambda n, r, y: dt.date(2016, 12, 31) if _valid(r) else None,
    },
    "marriages": {
        "marriage_id": lambda n, r, y: f"M{n:06d}",
        "applicant_id": "A000001",
        "spouse_id_number": lambda n, r, y: id_number(dt.date(1987, 3, 8), "female", 1000 + n),
        "married_on": dt.date(2012, 5, 1),
        "divorced_on": None,
        "verification": "valid",
    },
    "education": {
        "record_id": lambda n, r, y: f"E{n:06d}",
        "applicant_id": "A000001",
        "source": "domestic",
        "education_level": "bachelor",
        "degree": "bachelor",
        "graduated_on": lambda n, r, y: dt.date(2008, 7, 1) if r.get("education_level") else None,
        "degree_awarded_on": lambda n, r, y: dt.date(2008, 7, 1) if r.get("degree") else None,
        "verification": "valid",
    },
    "tax_payments": {
        "applicant_id": "A000001",
        "tax_year": lambda n, r, y: y - 3,
        "iit_paid_cny": Decimal("1000.00"),
    },
    "tax_violations": {
        "case_no": lambda n, r, y: f"TV{n:06d}",
        "applicant_id": "A000001",
        "penalty_date": dt.date(2022, 3, 1),
        "fine_cny": Decimal("500.00"),
    },
    "residence_permits": {"applicant_id": "A000001", "issued_on": dt.date(2015, 1, 1)},
    "criminal_records": {
        "case_no": lambda n, r, y: f"CR{n:06d}", "applicant_id": "A000001",
        "judgment_date": dt.date(2010, 1, 1),
    },
    "detentions": {
        "case_no": lambda n, r, y: f"D{n:06d}", "applicant_id": "A000001",
        "detained_on": dt.date(2021, 6, 1),
    },
    "awards": {
        "claim_id": lambda n, r, y: f"AW{n:06d}", "applicant_id": "A000001",
        "award_code": lambda n, r, y: first_award_code(y), "verification": "valid",
    },
    "honors": {
        "claim_id": lambda n, r, y: f"H{n:06d}", "applicant_id": "A000001",
        "honor_type": "model_worker", "verification": "valid",
    },
}


# ---------------------------------------------------------------- conversion

def _date(v: Any) -> dt.date | None:
    if v is None or (isinstance(v, dt.date) and not isinstance(v, dt.datetime)):
        return v
    if isinstance(v, dt.datetime):
        return v.date()
    s = str(v)
    if len(s) == 7:  # YYYY-MM
        return dt.date(int(s[:4]), int(s[5:7]), 1)
    return dt.date.fromisoformat(s)


def _timestamp(v: Any) -> dt.datetime | None:
    if v is None or isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    return dt.datetime.fromisoformat(str(v))


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "date": _date,
    "month": _date,
    "timestamp": _timestamp,
    "decimal": lambda v: None if v is None else Decimal(str(v)),
    "int32": lambda v: None if v is None else int(v),
    "bool": lambda v: None if v is None else bool(v),
    "string": lambda v: None if v is None else str(v),
}


def _complete(name: str, n: int, partial: dict, year: int) -> dict:
    if name == "applicants":
        i = int(str(partial["applicant_id"])[1:]) if str(partial.get("applicant_id", "")).startswith("A") \
            and str(partial["applicant_id"])[1:].isdigit() else n
        base = applicant(i, **partial)
        return base
    row = dict(partial)
    for col, default in DEFAULTS[name].items():
        if col not in row:
            row[col] = default(n, row, year) if callable(default) else default
    return row


def schema_variant(name: str, drop: Iterable[str] = (), retype: dict[str, pa.DataType] | None = None,
                   add: dict[str, pa.DataType] | None = None) -> pa.Schema:
    """The extract's schema with columns dropped, retyped or added (for
    structural-error tests; pass as make_snapshot(_schemas={name: ...}))."""
    retype = retype or {}
    fields = [pa.field(f.name, retype.get(f.name, f.type), nullable=True)
              for f in BY_NAME[name].arrow_schema() if f.name not in set(drop)]
    fields += [pa.field(k, t) for k, t in (add or {}).items()]
    return pa.schema(fields)


def _table(name: str, rows: list[dict], year: int, schema: pa.Schema | None) -> pa.Table:
    e = BY_NAME[name]
    full = [_complete(name, n, r, year) for n, r in enumerate(rows, start=1)]
    arrays, fields = [], []
    for c in e.columns:
        values = [_CONVERT[c.type](r.get(c.name)) for r in full]
        arrays.append(pa.array(values, type=c.arrow_type))
        fields.append(pa.field(c.name, c.arrow_type, nullable=c.nullable or None in values))
    extra = [k for r in full for k in r if k not in e.column_names]
    for k in dict.fromkeys(extra):
        arrays.append(pa.array([r.get(k) for r in full]))
        fields.append(pa.field(k, arrays[-1].type))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    if schema is None:
        return table
    out = []
    for f in schema:
        if f.name in table.column_names:
            out.append(table.column(f.name).cast(f.type))
        else:
            out.append(pa.nulls(len(table), f.type))
    return pa.Table.from_arrays(out, schema=pa.schema([pa.field(f.name, f.type) for f in schema]))


def make_snapshot(root: Path, year: int = 2026, *, _schemas: dict[str, pa.Schema] | None = None,
                  _omit: Iterable[str] = (), _parts: dict[str, int] | None = None,
                  **extracts: list[dict]) -> Path:
    """Write all thirteen extracts under `root` (see the module docstring);
    split extracts (social_insurance) as NAME/part-00000.parquet. Returns root."""
    unknown = set(extracts) - set(BY_NAME)
    if unknown:
        raise ValueError(f"unknown extracts: {sorted(unknown)}")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    _schemas, _parts, omit = _schemas or {}, _parts or {}, set(_omit)
    for e in EXTRACTS:
        if e.name in omit:
            continue
        table = _table(e.name, list(extracts.get(e.name, [])), year, _schemas.get(e.name))
        parts = _parts.get(e.name, 1)
        if e.split or parts > 1:
            folder = root / e.name
            folder.mkdir(exist_ok=True)
            size = -(-table.num_rows // parts) if table.num_rows else 0
            for k in range(parts):
                pq.write_table(table.slice(k * size, size) if size else table, folder / f"part-{k:05d}.parquet")
        else:
            pq.write_table(table, root / f"{e.name}.parquet")
    return root
