"""Scoring transforms: one DuckDB SQL model per rule, run in dependency order.

Each model is `sql/<name>.sql`, a single SELECT (import CTEs, named logic CTEs,
`select * from final`) that becomes the table `<name>`. The models read the
extracts as clean views named after them (quarantined rows removed), the
year's parameters as DuckDB variables and tables (`transforms.parameters`), and
the macros of `sql/macros.sql`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


@dataclass(frozen=True)
class Transform:
    name: str
    rule: str  # the rules.md section it implements

    @property
    def path(self) -> Path:
        return SQL_DIR / f"{self.name}.sql"

    def apply(self, con: duckdb.DuckDBPyConnection) -> None:
        """Materialise the model as the table `name`."""
        con.execute(f"create or replace table {self.name} as\n{self.path.read_text(encoding='utf-8')}")


INSURANCE_MONTHS = Transform("int_insurance_months", "§1, §3 (months paid per type)")
RESIDENCE_MONTHS = Transform("int_residence_months", "§3.2, §3.4 (claimed months)")

INDICATORS = (
    Transform("eligibility", "§1"),
    Transform("completeness", "§2"),
    Transform("employment", "§3.1"),
    Transform("residence", "§3.2"),
    Transform("education", "§3.3"),
    Transform("area", "§3.4"),
    Transform("innovation", "§3.5"),
    Transform("tax", "§3.6"),
    Transform("age", "§3.7"),
    Transform("honors", "§3.8"),
    Transform("law", "§3.9"),
)

RANKING = (
    Transform("scores_base", "§4 total, §2 ranked"),
    Transform("ranking", "§4 rank, quota, rank intervals"),
    Transform("scores", "§0 display points; outputs.md scores"),
    Transform("bands", "§4 band table"),
)

ROSTER = Transform("roster", "§4 publicity roster")


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
