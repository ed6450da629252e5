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
    if isinstance(points, bool) or not isinstance(points, (int, float, str, Decimal, Fraction)):
        raise ParameterError(f"{where}: {points!r} is not a number of points (write e.g. 3, 0.25 or 1/12)")
    try:
        units = Fraction(str(points).strip()) * UNITS_PER_POINT
    except (ValueError, ZeroDivisionError):
        raise ParameterError(
            f"{where}: {points!r} is not a number of points (write e.g. 3, 0.25 or 1/12)"
        ) from None
    if units.denominator != 1:
        raise ParameterError(
            f"{where}: {points} points is not a whole number of 1/24 units "
            f"({points} x {UNITS_PER_POINT} = {units}); rules.md §0 requires multiples of 1/24 point"
        )
    return int(units)


def _month(value: Any, where: str) -> int:
    """'YYYY-MM' (or a date) -> month index, with a clear error otherwise."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    parts = text.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        raise ParameterError(f"{where}: {value!r} is not a month (write YYYY-MM)") from None
    if not (len(parts[0]) == 4 and 1 <= month <= 12):
        raise ParameterError(f"{where}: {value!r} is not a month (write YYYY-MM)")
    return year * 12 + month - 1


def _date(value: Any, where: str) -> dt.date:
    """A YAML date (or an ISO string) -> date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ParameterError(f"{where}: {value!r} is not a date (write YYYY-MM-DD)") from None


def _whole(value: Any, where: str) -> int:
    """A whole number (years, months, counts); 5.5 or 'five' is an error, not truncated."""
    if isinstance(value, bool):
        raise ParameterError(f"{where}: {value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise ParameterError(f"{where}: {value!r} is not a whole number")


def _cny(value: Any, where: str) -> Decimal:
    """An amount of yuan, written as a string or number."""
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        raise ParameterError(f"{where}: {value!r} is not an amount of yuan") from None
    if isinstance(value, bool) or not amount.is_finite():
        raise ParameterError(f"{where}: {value!r} is not an amount of yuan")
    return amount


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

        where = str(self.award_catalogue)
        with self.award_catalogue.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = {"code", "points"} - set(reader.fieldnames or ())
            if missing:
                raise ParameterError(f"{where}: missing column(s) {sorted(missing)}")
            points: dict[str, int] = {}
            for row in reader:
                code = (row["code"] or "").strip()
                if not code:
                    raise ParameterError(f"{where}:{reader.line_num}: empty award code")
                if code in points:
                    raise ParameterError(f"{where}:{reader.line_num}: duplicate award code {code!r}")
                points[code] = to_units(row["points"], f"{where}:{code}")
        return points


LEAF_KEYS = frozenset({"value", "reference"})


def _value(tree: dict, dotted: str, where: str = "parameters") -> Any:
    """The `value` of the leaf at `dotted`, which must also carry a non-empty `reference`."""
    node: Any = tree
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ParameterError(f"{where}: missing parameter {dotted!r}")
        node = node[part]
    if not isinstance(node, dict) or "value" not in node:
        raise ParameterError(f"{where}: parameter {dotted!r} must be a mapping {{value, reference}}")
    reference = node.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise ParameterError(
            f"{where}: parameter {dotted!r} has no reference "
            "(cite the handbook clause: 篇/章/节 heading and a short quote)"
        )
    extra = set(node) - LEAF_KEYS
    if extra:
        raise ParameterError(
            f"{where}: parameter {dotted!r} has unexpected keys {sorted(extra)}; a leaf is {{value, reference}}"
        )
    return node["value"]


def load(year: int, directory: Path = PARAMETERS_DIR) -> Params:
    """Read parameters/<year>.yaml; every rule number comes from here."""
    directory = Path(directory)
    path = directory / f"{year}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in directory.glob("*.yaml"))
        raise ParameterError(
            f"no parameter file for {year} ({path}); known years: {known}. "
            "Add one as described in docs/parameters.md"
        )
    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(tree, dict):
        raise ParameterError(f"{path}: expected a mapping of parameters, got {type(tree).__name__}")
    if tree.get("year") != year:
        raise ParameterError(f"{path}: 'year' is {tree.get('year')!r}, expected {year}")
    if not str(tree.get("version") or "").strip():
        raise ParameterError(f"{path}: missing 'version'")

    def v(key: str) -> Any:
        return _value(tree, key, str(path))

    def at(key: str) -> str:
        return f"{path}:{key}"

    def units(key: str) -> int:
        return to_units(v(key), at(key))

    def whole(key: str) -> int:
        return _whole(v(key), at(key))

    def month(key: str) -> int:
        return _month(v(key), at(key))

    def years(key: str) -> tuple[int, ...]:
        value = v(key)
        if not isinstance(value, list) or not value:
            raise ParameterError(f"{at(key)}: expected a non-empty list of years, got {value!r}")
        return tuple(_whole(y, at(key)) for y in value)

    def mapping(key: str, fields: tuple[str, ...]) -> dict:
        value = v(key)
        if not isinstance(value, dict) or set(fields) - set(value):
            raise ParameterError(f"{at(key)}: expected a mapping with keys {list(fields)}, got {value!r}")
        return value

    def rows(key: str, fields: tuple[str, ...]) -> list[dict]:
        value = v(key)
        if not isinstance(value, list) or not value:
            raise ParameterError(f"{at(key)}: expected a non-empty list of rows, got {value!r}")
        for i, row in enumerate(value):
            if not isinstance(row, dict) or set(fields) - set(row):
                raise ParameterError(f"{at(key)}[{i}]: expected keys {list(fields)}, got {row!r}")
        return value

    retire = mapping("eligibility.retirement_age", ("male", "female_worker", "female_cadre"))
    window = mapping("eligibility.insurance_window", ("first", "last"))
    catalogue = directory / str(v("innovation.catalogue"))
    if not catalogue.is_file():
        raise ParameterError(f"{at('innovation.catalogue')}: award catalogue {catalogue} does not exist")
    return Params(
        year=year,
        version=str(tree["version"]),
        source=path,
        reference_date=_date(v("reference_date"), at("reference_date")),
        permit_issued_by=_date(v("eligibility.permit_issued_by"), at("eligibility.permit_issued_by")),
        retirement_age_male=_whole(retire["male"], at("eligibility.retirement_age.male")),
        retirement_age_female_worker=_whole(retire["female_worker"], at("eligibility.retirement_age.female_worker")),
        retirement_age_female_cadre=_whole(retire["female_cadre"], at("eligibility.retirement_age.female_cadre")),
        insurance_window_first=_month(window["first"], at("eligibility.insurance_window.first")),
        insurance_window_last=_month(window["last"], at("eligibility.insurance_window.last")),
        max_back_paid_months=whole("eligibility.max_back_paid_months"),
        employment_start=month("employment.start_month"),
        employment_end=month("employment.end_month"),
        insurance_type_order=tuple(str(t) for t in v("employment.insurance_type_order")),
        employment_units_per_month=units("employment.points_per_month"),
        period1_last=month("residence.period1_last_month"),
        period2_first=month("residence.period2_first_month"),
        owned_units_per_month=units("residence.owned_points_per_month"),
        rented_units_per_month=units("residence.rented_points_per_month"),
        education_table=tuple(
            EducationRow(r["level"], r["degree"], to_units(r["points"], f"{at('education.table')}[{i}].points"),
                         _whole(r["deduction_years"], f"{at('education.table')}[{i}].deduction_years"))
            for i, r in enumerate(rows("education.table", ("level", "degree", "points", "deduction_years")))
        ),
        deduction_employment_units_per_month=units("education.deduction_employment_points_per_month"),
        deduction_residence_units_per_month=units("education.deduction_residence_points_per_month"),
        area_start=month("area.start_month"),
        central_districts=tuple(str(d) for d in v("area.central_districts")),
        area_months_per_year=whole("area.months_per_year"),
        area_both_units_per_year=units("area.live_and_work_points_per_year"),
        area_live_only_units_per_year=units("area.live_only_points_per_year"),
        area_cap_units=units("area.cap_points"),
        award_catalogue=catalogue,
        innovation_cap_units=units("innovation.cap_points"),
        tax_bonus_years=years("tax.bonus_years"),
        tax_bonus_threshold_cny=_cny(v("tax.bonus_threshold_cny"), at("tax.bonus_threshold_cny")),
        tax_bonus_units_per_year=units("tax.bonus_points_per_year"),
        tax_bonus_cap_units=units("tax.bonus_cap_points"),
        tax_penalty_years=years("tax.penalty_years"),
        tax_penalty_min_fine_cny=_cny(v("tax.penalty_min_fine_cny"), at("tax.penalty_min_fine_cny")),
        tax_penalty_units=units("tax.penalty_points"),
        age_reference_year=whole("age.reference_year"),
        age_full_units=units("age.full_points"),
        age_full_max_age=whole("age.full_points_max_age"),
        age_units_per_year_over=units("age.points_per_year_over"),
        honors_units=units("honors.points"),
        detention_years=years("law.detention_years"),
        detention_units=units("law.detention_points"),
        quota=whole("ranking.quota"),
        rank_intervals=tuple(
            RankInterval(str(r["label"]), _whole(r["from"], f"{at('ranking.rank_intervals')}[{i}].from"),
                         None if r["to"] is None else _whole(r["to"], f"{at('ranking.rank_intervals')}[{i}].to"))
            for i, r in enumerate(rows("ranking.rank_intervals", ("label", "from", "to")))
        ),
    )
