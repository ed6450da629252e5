"""Per-year policy parameters (parameters/<year>.yaml), read into exact values.

Each leaf of a parameter file is `{value, reference}`; the reference names the
handbook clause. Points become integer 1/24-point units here, once, with an
error if a value is not a whole number of units (rules §0). Months are
integer month indices (`year * 12 + month - 1`) so that SQL and Python share
one arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "parameters"
UNITS_PER_POINT = 24


class ParameterError(ValueError):
    """A parameter file is missing, incomplete or not exact."""


def month_index(value: str | dt.date) -> int:
    """'2019-01' or a date -> year * 12 + month - 1."""
    if isinstance(value, dt.date):
        return value.year * 12 + value.month - 1
    year, month = str(value).split("-")[:2]
    return int(year) * 12 + int(month) - 1


def month_label(index: int) -> str:
    """Inverse of `month_index`, as 'YYYY-MM'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def to_units(points: Any, where: str) -> int:
    """Points written as 10.5, '1/12' or 0.25 -> exact integer 1/24 units."""
    units = Fraction(str(points)) * UNITS_PER_POINT
    if units.denominator != 1:
        raise ParameterError(f"{where}: {points} points is not a whole number of 1/24 units")
    return int(units)


@dataclass(frozen=True)
class EducationRow:
    level: str | None
    degree: str | None
    points_units: int
    deduction_years: int


@dataclass(frozen=True)
class RankInterval:
    label: str
    rank_from: int
    rank_to: int | None


@dataclass(frozen=True)
class Params:
    """Every number of rules.md for one declaration year."""

    year: int
    version: str
    source: Path
    reference_date: dt.date
    # §1 eligibility
    permit_issued_by: dt.date
    retirement_age_male: int
    retirement_age_female_worker: int
    retirement_age_female_cadre: int
    insurance_window_first: int
    insurance_window_last: int
    max_back_paid_months: int
    # §3 employment base, §3.1
    employment_start: int
    employment_end: int
    insurance_type_order: tuple[str, ...]
    employment_units_per_month: int
    # §3.2
    period1_last: int
    period2_first: int
    owned_units_per_month: int
    rented_units_per_month: int
    # §3.3
    education_table: tuple[EducationRow, ...]
    deduction_employment_units_per_month: int
    deduction_residence_units_per_month: int
    # §3.4
    area_start: int
    central_districts: tuple[str, ...]
    area_months_per_year: int
    area_both_units_per_year: int
    area_live_only_units_per_year: int
    area_cap_units: int
    # §3.5
    award_catalogue: Path
    innovation_cap_units: int
    # §3.6
    tax_bonus_years: tuple[int, ...]
    tax_bonus_threshold_cny: Decimal
    tax_bonus_units_per_year: int
    tax_bonus_cap_units: int
    tax_penalty_years: tuple[int, ...]
    tax_penalty_min_fine_cny: Decimal
    tax_penalty_units: int
    # §3.7
    age_reference_year: int
    age_full_units: int
    age_full_max_age: int
    age_units_per_year_over: int
    # §3.8, §3.9
    honors_units: int
    detention_years: tuple[int, ...]
    detention_units: int
    # §4
    quota: int
    rank_intervals: tuple[RankInterval, ...]

    @property
    def reference_month(self) -> int:
        return month_index(self.reference_date)

    def award_points(self) -> dict[str, int]:
        """award_code -> units, from the year's catalogue (rules §3.5)."""
        import csv

        with self.award_catalogue.open(encoding="utf-8") as f:
            return {row["code"]: to_units(row["points"], f"{self.award_catalogue}:{row['code']}")
                    for row in csv.DictReader(f)}


def _value(tree: dict, dotted: str) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ParameterError(f"missing parameter {dotted!r}")
        node = node[part]
    if not isinstance(node, dict) or "value" not in node or not node.get("reference"):
        raise ParameterError(f"parameter {dotted!r} needs both 'value' and 'reference'")
    return node["value"]


def load(year: int, directory: Path = PARAMETERS_DIR) -> Params:
    """Read parameters/<year>.yaml; every rule number comes from here."""
    path = directory / f"{year}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in directory.glob("*.yaml"))
        raise ParameterError(f"no parameter file for {year} ({path}); known years: {known}")
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    if tree.get("year") != year:
        raise ParameterError(f"{path}: 'year' is {tree.get('year')}, expected {year}")

    def v(key: str) -> Any:
        return _value(tree, key)

    def units(key: str) -> int:
        return to_units(v(key), f"{path}:{key}")

    retire = v("eligibility.retirement_age")
    window = v("eligibility.insurance_window")
    return Params(
        year=year,
        version=str(tree["version"]),
        source=path,
        reference_date=v("reference_date"),
        permit_issued_by=v("eligibility.permit_issued_by"),
        retirement_age_male=int(retire["male"]),
        retirement_age_female_worker=int(retire["female_worker"]),
        retirement_age_female_cadre=int(retire["female_cadre"]),
        insurance_window_first=month_index(window["first"]),
        insurance_window_last=month_index(window["last"]),
        max_back_paid_months=int(v("eligibility.max_back_paid_months")),
        employment_start=month_index(v("employment.start_month")),
        employment_end=month_index(v("employment.end_month")),
        insurance_type_order=tuple(v("employment.insurance_type_order")),
        employment_units_per_month=units("employment.points_per_month"),
        period1_last=month_index(v("residence.period1_last_month")),
        period2_first=month_index(v("residence.period2_first_month")),
        owned_units_per_month=units("residence.owned_points_per_month"),
        rented_units_per_month=units("residence.rented_points_per_month"),
        education_table=tuple(
            EducationRow(r["level"], r["degree"], to_units(r["points"], f"{path}:education"),
                         int(r["deduction_years"]))
            for r in v("education.table")
        ),
        deduction_employment_units_per_month=units("education.deduction_employment_points_per_month"),
        deduction_residence_units_per_month=units("education.deduction_residence_points_per_month"),
        area_start=month_index(v("area.start_month")),
        central_districts=tuple(str(d) for d in v("area.central_districts")),
        area_months_per_year=int(v("area.months_per_year")),
        area_both_units_per_year=units("area.live_and_work_points_per_year"),
        area_live_only_units_per_year=units("area.live_only_points_per_year"),
        area_cap_units=units("area.cap_points"),
        award_catalogue=directory / v("innovation.catalogue"),
        innovation_cap_units=units("innovation.cap_points"),
        tax_bonus_years=tuple(int(y) for y in v("tax.bonus_years")),
        tax_bonus_threshold_cny=Decimal(str(v("tax.bonus_threshold_cny"))),
        tax_bonus_units_per_year=units("tax.bonus_points_per_year"),
        tax_bonus_cap_units=units("tax.bonus_cap_points"),
        tax_penalty_years=tuple(int(y) for y in v("tax.penalty_years")),
        tax_penalty_min_fine_cny=Decimal(str(v("tax.penalty_min_fine_cny"))),
        tax_penalty_units=units("tax.penalty_points"),
        age_reference_year=int(v("age.reference_year")),
        age_full_units=units("age.full_points"),
        age_full_max_age=int(v("age.full_points_max_age")),
        age_units_per_year_over=units("age.points_per_year_over"),
        honors_units=units("honors.points"),
        detention_years=tuple(int(y) for y in v("law.detention_years")),
        detention_units=units("law.detention_points"),
        quota=int(v("ranking.quota")),
        rank_intervals=tuple(
            RankInterval(str(r["label"]), int(r["from"]), None if r["to"] is None else int(r["to"]))
            for r in v("ranking.rank_intervals")
        ),
    )
