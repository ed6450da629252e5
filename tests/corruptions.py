"""Corrupted copies of the sample snapshot, one kind of contract violation each (extracts.md, "Bad input").

`sample_snapshot(tmp)` is a copy of the committed `sample_data/2026` (or, when
it is absent, a small snapshot made with `builders`). Each corruption edits a
copy in place with pyarrow and returns what the documented outcome should name:

* STRUCTURAL: the run stops before writing anything, naming extract and column;
* ROW_LEVEL: the offending row is quarantined with `rule` and its applicant
  stays in the scores, flagged (`data_issue_count` > 0).

`corrupt_all_rows(snapshot)` applies every ROW_LEVEL corruption to one copy,
each on a different row, plus extra GE-detectable breaks so that *every*
extract's suite fails (the deliberately bad fixture of the suites).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "2026"
YEAR = 2026


def sample_snapshot(target: Path) -> Path:
    """A private copy of the sample snapshot at `target`."""
    if SAMPLE.is_dir():
        shutil.copytree(SAMPLE, target)
        return target
    return _built_snapshot(target)  # pragma: no cover - before sample_data/2026 exists


def _built_snapshot(target: Path) -> Path:
    import builders as b

    ids = [f"A{i:06d}" for i in range(1, 7)]
    si = [r for a in ids for r in b.insurance(a, "2015-01", "2025-12", types=("pension", "medical"))]
    return b.make_snapshot(
        target, YEAR,
        applicants=[b.applicant(i) for i in range(1, 7)],
        social_insurance=si,
        property_claims=[{"applicant_id": ids[0]}, {"applicant_id": ids[1]}],
        lease_filings=[{"applicant_id": ids[1]}, {"applicant_id": ids[2]}],
        marriages=[{"applicant_id": ids[2]}, {"applicant_id": ids[3]}],
        education=[{"applicant_id": a} for a in ids[:3]],
        tax_payments=[{"applicant_id": a} for a in ids[:3]],
        tax_violations=[{"applicant_id": ids[3]}, {"applicant_id": ids[4]}],
        residence_permits=[{"applicant_id": a} for a in ids],
        criminal_records=[{"applicant_id": ids[4]}, {"applicant_id": ids[5]}],
        detentions=[{"applicant_id": ids[5]}, {"applicant_id": ids[0]}],
        awards=[{"applicant_id": ids[0]}, {"applicant_id": ids[1]}],
        honors=[{"applicant_id": ids[1]}, {"applicant_id": ids[2]}],
    )


# ---------------------------------------------------------------- editing helpers

def _file(snapshot: Path, name: str) -> Path:
    single = snapshot / f"{name}.parquet"
    return single if single.exists() else sorted((snapshot / name).glob("*.parquet"))[0]


def _read(snapshot: Path, name: str) -> pa.Table:
    return pq.read_table(_file(snapshot, name))


def _write(snapshot: Path, name: str, table: pa.Table) -> None:
    pq.write_table(table, _file(snapshot, name))


def _set(snapshot: Path, name: str, row: int, column: str, value: object) -> str | None:
    """Set one cell; return the row's applicant_id."""
    t = _read(snapshot, name)
    i = t.column_names.index(column)
    values = t.column(column).to_pylist()
    values[row] = value
    t = t.set_column(i, t.schema.field(i), pa.array(values, t.schema.field(i).type))
    _write(snapshot, name, t)
    return t.column("applicant_id")[row].as_py()


def _get(snapshot: Path, name: str, row: int, column: str) -> object:
    return _read(snapshot, name).column(column)[row].as_py()


# ---------------------------------------------------------------- structural

@dataclass(frozen=True)
class Structural:
    kind: str
    extract: str
    column: str | None
    rule: str  # ContractError.rule
    apply: Callable[[Path], None]


def _drop_file(name: str) -> Callable[[Path], None]:
    def apply(s: Path) -> None:
        path = _file(s, name)
        path.unlink()
    return apply


def _drop_column(name: str, column: str) -> Callable[[Path], None]:
    def apply(s: Path) -> None:
        _write(s, name, _read(s, name).drop_columns([column]))
    return apply


def _retype(name: str, column: str, type_: pa.DataType) -> Callable[[Path], None]:
    def apply(s: Path) -> None:
        t = _read(s, name)
        i = t.column_names.index(column)
        _write(s, name, t.set_column(i, pa.field(column, type_), t.column(column).cast(type_)))
    return apply


STRUCTURAL = (
    Structural("missing extract", "awards", None, "missing_extract", _drop_file("awards")),
    Structural("missing column", "honors", "honor_type", "missing_column", _drop_column("honors", "honor_type")),
    Structural("wrong type", "tax_payments", "tax_year", "type",
               _retype("tax_payments", "tax_year", pa.int64())),
)


# ---------------------------------------------------------------- row level

@dataclass(frozen=True)
class RowLevel:
    kind: str
    extract: str
    rule: str  # violations.rule
    apply: Callable[[Path], str | None]  # returns the applicant_id of the broken row


def _bad_enum(s: Path) -> str | None:
    return _set(s, "honors", 0, "verification", "approved")


def _month_out_of_range(s: Path) -> str | None:
    return _set(s, "social_insurance", 0, "month", dt.date(1990, 1, 1))


def _duplicate_key(s: Path) -> str | None:
    t = _read(s, "tax_payments")
    _write(s, "tax_payments", pa.concat_tables([t, t.slice(0, 1)]))
    return t.column("applicant_id")[0].as_py()


def _broken_fk(s: Path) -> str | None:
    _set(s, "residence_permits", 0, "applicant_id", "A_NOT_DECLARED")
    return None  # the row names no declared applicant


def _bad_check_digit(s: Path) -> str | None:
    idn = str(_get(s, "applicants", 0, "id_number"))
    wrong = "1" if idn[-1] != "1" else "2"
    return _set(s, "applicants", 0, "id_number", idn[:-1] + wrong)


def _id_birth_date(s: Path) -> str | None:
    born = _get(s, "applicants", 1, "birth_date")
    return _set(s, "applicants", 1, "birth_date", born + dt.timedelta(days=1))


def _unknown_district(s: Path) -> str | None:
    return _set(s, "social_insurance", 1, "district_code", "999999")


def _unknown_award(s: Path) -> str | None:
    return _set(s, "awards", 0, "award_code", "no_such_award")


ROW_LEVEL = (
    RowLevel("bad enum", "honors", "enum", _bad_enum),
    RowLevel("out-of-range month", "social_insurance", "range", _month_out_of_range),
    RowLevel("duplicate key", "tax_payments", "unique", _duplicate_key),
    RowLevel("broken FK", "residence_permits", "fk", _broken_fk),
    RowLevel("bad check digit", "applicants", "check_digit", _bad_check_digit),
    RowLevel("ID vs birth date mismatch", "applicants", "id_birth_date", _id_birth_date),
    RowLevel("unknown district", "social_insurance", "district", _unknown_district),
    RowLevel("unknown award code", "awards", "award_code", _unknown_award),
)


def _extra_ge_breaks(s: Path) -> None:
    """One more GE-expressible break in each extract the ROW_LEVEL list leaves
    without one, so every suite fails (rows chosen apart from the ones above)."""
    _set(s, "applicants", 2, "position_type", "manager")  # enum
    _set(s, "property_claims", 0, "verification", "approved")  # enum
    _set(s, "lease_filings", 0, "district_code", "110100")  # district
    _set(s, "marriages", 0, "verification", "unknown")  # enum
    _set(s, "education", 0, "verification", "checked")  # enum
    t = _read(s, "tax_violations")
    i = t.column_names.index("fine_cny")
    fines = t.column("fine_cny").to_pylist()
    fines[0] = -fines[0] if fines[0] else fines[0] - 1
    _write(s, "tax_violations", t.set_column(i, t.schema.field(i), pa.array(fines, t.schema.field(i).type)))
    _set(s, "residence_permits", 1, "issued_on", dt.date(YEAR + 1, 1, 1))  # range
    _set(s, "criminal_records", 0, "judgment_date", dt.date(1899, 12, 31))  # range
    _set(s, "detentions", 0, "detained_on", dt.date(YEAR + 1, 2, 1))  # range


def corrupt_all_rows(snapshot: Path) -> dict[str, str | None]:
    """Every ROW_LEVEL corruption on one copy; kind -> applicant_id of the broken row."""
    broken = {c.kind: c.apply(snapshot) for c in ROW_LEVEL}
    _extra_ge_breaks(snapshot)
    return broken
