"""Per-year policy parameters (parameters/<year>.yaml, jflh.params).

What is checked:
- the 2026 file gives the derived values of rules.md (R, windows, year sets,
  units, quota, rank intervals);
- every year file is consistent with its own year Y (R = 31 Dec of Y-1, the
  84-month window ends at RM, tax years Y-3…Y-1, …), so a new year's file
  that forgot to shift a value fails;
- 2025 is 2026 shifted by exactly one year for the year-relative values, and
  equal for everything else (absolute policy dates, points, quota, intervals);
- every leaf has a non-empty reference, and the quoted handbook clauses
  (between 「」) are really in the handbook;
- broken files raise ParameterError with a clear message;
- no policy literal leaks into code under transforms/, sql/ and flows/.
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import os
import re
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jflh.params import PARAMETERS_DIR, ParameterError, Params, load, month_index, month_label, to_units

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
HANDBOOK = Path(os.environ.get("JFLH_HANDBOOK", SHARED / "seed" / "handbook-2026.txt"))
SPEC_CATALOGUE = SHARED / "spec" / "award_catalogue.csv"

YEAR_FILES = sorted(PARAMETERS_DIR.glob("[0-9][0-9][0-9][0-9].yaml"))
YEARS = [int(p.stem) for p in YEAR_FILES]
METADATA_KEYS = {"year", "version"}  # the only top-level keys that are not {value, reference} leaves

LABELS_2026 = [
    "1-1000", "1001-2000", "2001-3000", "3001-4000", "4001-5000", "5001-6000",
    "6001-10000", "10001-20000", "20001-50000", "50001+",
]


@pytest.fixture(scope="module")
def p2026() -> Params:
    return load(2026)


@pytest.fixture(scope="module")
def p2025() -> Params:
    return load(2025)


def test_both_years_exist():
    assert {2025, 2026} <= set(YEARS)


# --------------------------------------------------------------------------- 2026 values


def test_2026_reference_date_and_windows(p2026: Params):
    assert p2026.year == 2026
    assert p2026.reference_date == dt.date(2025, 12, 31)
    assert p2026.permit_issued_by == dt.date(2025, 12, 31)
    assert month_label(p2026.reference_month) == "2025-12"
    assert month_label(p2026.insurance_window_first) == "2019-01"
    assert month_label(p2026.insurance_window_last) == "2025-12"
    assert p2026.insurance_window_last - p2026.insurance_window_first + 1 == 84
    assert p2026.max_back_paid_months == 5
    assert month_label(p2026.employment_start) == "1998-07"
    assert month_label(p2026.employment_end) == "2025-12"


def test_2026_year_sets_and_age(p2026: Params):
    assert p2026.tax_bonus_years == (2023, 2024, 2025)
    assert p2026.tax_penalty_years == (2021, 2022, 2023, 2024, 2025)
    assert p2026.detention_years == (2021, 2022, 2023, 2024, 2025)
    assert p2026.age_reference_year == 2024


def test_2026_age_reproduces_handbook_table(p2026: Params):
    """年龄指标分段积分表, column 2026: 1979 → 20, 1978 → 16, 1975 → 4, 1974 → 0."""
    def age_units(birth_year: int) -> int:
        a = p2026.age_reference_year - birth_year
        over = max(0, a - p2026.age_full_max_age)
        return max(0, p2026.age_full_units - p2026.age_units_per_year_over * over)

    assert {b: age_units(b) // 24 for b in (1987, 1979, 1978, 1977, 1976, 1975, 1974, 1973)} == {
        1987: 20, 1979: 20, 1978: 16, 1977: 12, 1976: 8, 1975: 4, 1974: 0, 1973: 0,
    }


def test_2026_units(p2026: Params):
    assert p2026.employment_units_per_month == 6
    assert p2026.owned_units_per_month == 2
    assert p2026.rented_units_per_month == 1
    assert p2026.deduction_employment_units_per_month == 6
    assert p2026.deduction_residence_units_per_month == 1
    assert 87 * p2026.employment_units_per_month == 522  # handbook: 87 months → 21.75 points
    assert p2026.area_both_units_per_year == 72
    assert p2026.area_live_only_units_per_year == 48
    assert p2026.area_cap_units == 288
    assert p2026.area_months_per_year == 12
    assert p2026.innovation_cap_units == 288
    assert p2026.tax_bonus_threshold_cny == Decimal("100000")
    assert p2026.tax_bonus_units_per_year == 48
    assert p2026.tax_bonus_cap_units == 144
    assert p2026.tax_penalty_min_fine_cny == Decimal("50")
    assert p2026.tax_penalty_units == 288
    assert p2026.age_full_units == 480
    assert p2026.age_full_max_age == 45
    assert p2026.age_units_per_year_over == 96
    assert p2026.honors_units == 480
    assert p2026.detention_units == 720
    assert (p2026.retirement_age_male, p2026.retirement_age_female_worker,
            p2026.retirement_age_female_cadre) == (60, 50, 55)


def test_2026_education_table(p2026: Params):
    table = {(r.level, r.degree): (r.points_units, r.deduction_years) for r in p2026.education_table}
    assert table == {
        ("associate", None): (252, 3),
        ("bachelor", None): (252, 3),
        (None, "bachelor"): (252, 3),
        ("bachelor", "bachelor"): (360, 4),
        ("master", None): (360, 4),
        (None, "master"): (360, 4),
        ("master", "master"): (624, 3),
        ("doctor", None): (624, 3),
        (None, "doctor"): (624, 3),
        ("doctor", "doctor"): (888, 3),
    }
    assert len(p2026.education_table) == 10  # no duplicated pair


def test_2026_area_and_policy_dates(p2026: Params):
    assert p2026.central_districts == ("110101", "110102", "110105", "110106", "110107", "110108")
    assert month_label(p2026.area_start) == "2018-01"
    assert month_label(p2026.period1_last) == "2020-07"
    assert month_label(p2026.period2_first) == "2020-08"
    assert p2026.insurance_type_order == ("pension", "medical", "unemployment", "injury", "maternity")


def test_2026_quota_and_rank_intervals(p2026: Params):
    assert p2026.quota == 6000
    assert [i.label for i in p2026.rank_intervals] == LABELS_2026
    assert len(p2026.rank_intervals) == 10
    assert p2026.rank_intervals[0].rank_from == 1
    assert p2026.rank_intervals[-1].rank_to is None


def test_2026_award_catalogue(p2026: Params):
    points = p2026.award_points()
    assert points["nsa_1_all"] == 288
    assert points["bj_skills_8_10"] == 24
    assert max(points.values()) <= p2026.innovation_cap_units
    if SPEC_CATALOGUE.exists():
        with SPEC_CATALOGUE.open(encoding="utf-8") as f:
            spec = {r["code"]: to_units(r["points"], str(SPEC_CATALOGUE)) for r in csv.DictReader(f)}
        assert points == spec


# --------------------------------------------------------------------------- every year


@pytest.mark.parametrize("year", YEARS)
def test_year_relative_values_follow_the_year(year: int):
    """rules.md: R, RM, the 84-month window, Y-3…Y-1, Y-5…Y-1 and the age formula move with Y."""
    p = load(year)
    assert p.reference_date == dt.date(year - 1, 12, 31)
    assert p.permit_issued_by == p.reference_date
    assert p.employment_end == p.reference_month
    assert p.insurance_window_last == p.reference_month
    assert p.insurance_window_last - p.insurance_window_first + 1 == 84
    assert p.tax_bonus_years == tuple(range(year - 3, year))
    assert p.tax_penalty_years == tuple(range(year - 5, year))
    assert p.detention_years == tuple(range(year - 5, year))
    assert p.age_reference_year == year - 2


@pytest.mark.parametrize("year", YEARS)
def test_absolute_policy_dates(year: int):
    """rules.md: 1998-07, 2020-07/2020-08 and 2018-01 are absolute."""
    p = load(year)
    assert month_label(p.employment_start) == "1998-07"
    assert month_label(p.period1_last) == "2020-07"
    assert month_label(p.period2_first) == "2020-08"
    assert p.period2_first == p.period1_last + 1
    assert month_label(p.area_start) == "2018-01"


@pytest.mark.parametrize("year", YEARS)
def test_rank_intervals_are_contiguous_and_labelled(year: int):
    p = load(year)
    expected_from = 1
    for i, interval in enumerate(p.rank_intervals):
        assert interval.rank_from == expected_from, interval
        if interval.rank_to is None:
            assert i == len(p.rank_intervals) - 1, "only the last interval may be open"
            assert interval.label == f"{interval.rank_from}+"
        else:
            assert interval.rank_to >= interval.rank_from
            assert interval.label == f"{interval.rank_from}-{interval.rank_to}"
            expected_from = interval.rank_to + 1
    assert p.rank_intervals[-1].rank_to is None
    assert any(i.rank_to == p.quota for i in p.rank_intervals), "an interval should end at the quota"


@pytest.mark.parametrize("year", YEARS)
def test_every_points_value_is_exact(year: int):
    """Loading converts every points value; the catalogue converts too."""
    p = load(year)
    p.award_points()
    assert all(r.points_units > 0 for r in p.education_table)


# --------------------------------------------------------------------------- 2025 vs 2026

SHIFT_DATES = {"reference_date", "permit_issued_by"}
SHIFT_MONTHS = {"insurance_window_first", "insurance_window_last", "employment_end"}
SHIFT_YEAR_TUPLES = {"tax_bonus_years", "tax_penalty_years", "detention_years"}
SHIFT_YEARS = {"age_reference_year"}
ABSOLUTE = {"employment_start", "period1_last", "period2_first", "area_start"}
NOT_COMPARED = {"year", "version", "source", "award_catalogue"}  # catalogue compared by content below


def test_2025_is_2026_shifted_by_one_year(p2025: Params, p2026: Params):
    names = {f.name for f in dataclasses.fields(Params)}
    for group in (SHIFT_DATES, SHIFT_MONTHS, SHIFT_YEAR_TUPLES, SHIFT_YEARS, ABSOLUTE, NOT_COMPARED):
        assert group <= names, group - names  # a renamed field must be reclassified here
    for name in sorted(names - NOT_COMPARED):
        old, new = getattr(p2025, name), getattr(p2026, name)
        if name in SHIFT_DATES:
            assert old == new.replace(year=new.year - 1), name
        elif name in SHIFT_MONTHS:
            assert old == new - 12, name
        elif name in SHIFT_YEAR_TUPLES:
            assert old == tuple(y - 1 for y in new), name
        elif name in SHIFT_YEARS:
            assert old == new - 1, name
        else:  # absolute policy dates and every points value, quota, interval: unchanged
            assert old == new, name
    assert p2025.year == 2025
    assert p2025.reference_date == dt.date(2024, 12, 31)
    assert month_label(p2025.insurance_window_first) == "2018-01"
    assert month_label(p2025.insurance_window_last) == "2024-12"
    assert p2025.tax_bonus_years == (2022, 2023, 2024)
    assert p2025.tax_penalty_years == (2020, 2021, 2022, 2023, 2024)
    assert p2025.age_reference_year == 2023
    assert p2025.quota == 6000
    assert [i.label for i in p2025.rank_intervals] == LABELS_2026


def test_2025_award_catalogue_has_2026_points(p2025: Params, p2026: Params):
    assert p2025.award_catalogue.name == "award_catalogue_2025.csv"
    assert p2025.award_points() == p2026.award_points()


def test_2025_age_reproduces_handbook_table(p2025: Params):
    """年龄指标分段积分表, column 2025: 1978 → 20, 1977 → 16, 1974 → 4, 1973 → 0."""
    def age_points(birth_year: int) -> int:
        over = max(0, p2025.age_reference_year - birth_year - p2025.age_full_max_age)
        return max(0, p2025.age_full_units - p2025.age_units_per_year_over * over) // 24

    assert [age_points(b) for b in (1979, 1978, 1977, 1976, 1975, 1974, 1973)] == [20, 20, 16, 12, 8, 4, 0]


# --------------------------------------------------------------------------- references


def _leaves(tree: dict, prefix: str = "") -> dict[str, dict]:
    """dotted path -> {value, reference} node; anything else in the tree is an error."""
    found: dict[str, dict] = {}
    for key, node in tree.items():
        path = f"{prefix}{key}"
        if not prefix and key in METADATA_KEYS:
            continue
        assert isinstance(node, dict), f"{path}: expected a {{value, reference}} leaf or a group, got {node!r}"
        if "value" in node:
            found[path] = node
        else:
            assert node, f"{path}: empty group"
            found.update(_leaves(node, path + "."))
    return found


def _tree(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", YEAR_FILES, ids=lambda p: p.name)
def test_every_leaf_has_a_reference(path: Path):
    leaves = _leaves(_tree(path))
    assert leaves
    for dotted, node in leaves.items():
        assert set(node) == {"value", "reference"}, f"{path.name}:{dotted}: keys {sorted(node)}"
        ref = node["reference"]
        assert isinstance(ref, str) and ref.strip(), f"{path.name}:{dotted}: empty reference"
        assert re.search(r"第.篇|附件\d", ref), f"{path.name}:{dotted}: reference names no 篇/附件 heading"
        assert "「" in ref, f"{path.name}:{dotted}: reference quotes no handbook clause in 「」"


def test_all_years_have_the_same_parameters():
    shapes = {p.name: sorted(_leaves(_tree(p))) for p in YEAR_FILES}
    first = next(iter(shapes.values()))
    for name, keys in shapes.items():
        assert keys == first, f"{name} has different parameters: {sorted(set(keys) ^ set(first))}"


def _normalise(text: str) -> str:
    """Width-folded (，→, （→( …) and without whitespace: the handbook mixes both."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.skipif(not HANDBOOK.exists(), reason=f"handbook not found at {HANDBOOK}")
@pytest.mark.parametrize("path", YEAR_FILES, ids=lambda p: p.name)
def test_quoted_clauses_are_in_the_handbook(path: Path):
    handbook = _normalise(HANDBOOK.read_text(encoding="utf-8"))
    for dotted, node in _leaves(_tree(path)).items():
        for quote in re.findall(r"「(.+?)」", node["reference"]):
            assert _normalise(quote) in handbook, f"{path.name}:{dotted}: 「{quote}」 is not in {HANDBOOK.name}"


# --------------------------------------------------------------------------- broken files


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the parameter directory to break."""
    for p in PARAMETERS_DIR.iterdir():
        if p.is_file():
            shutil.copy(p, tmp_path / p.name)
    return tmp_path


def _edit(directory: Path, year: int, edit) -> None:
    path = directory / f"{year}.yaml"
    tree = _tree(path)
    edit(tree)
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_scratch_copy_loads(scratch: Path):
    assert load(2026, scratch) == dataclasses.replace(
        load(2026), source=scratch / "2026.yaml", award_catalogue=scratch / "award_catalogue_2026.csv"
    )


@pytest.mark.parametrize("points", [0.1, "1/25", 0.01])
def test_value_not_whole_units(scratch: Path, points):
    _edit(scratch, 2026, lambda t: t["employment"]["points_per_month"].update(value=points))
    with pytest.raises(ParameterError, match=r"employment\.points_per_month.*not a whole number of 1/24 units"):
        load(2026, scratch)


def test_education_points_not_whole_units(scratch: Path):
    _edit(scratch, 2026, lambda t: t["education"]["table"]["value"][0].update(points=10.51))
    with pytest.raises(ParameterError, match=r"education\.table\[0\]\.points.*1/24"):
        load(2026, scratch)


def test_to_units_rejects_non_numbers():
    assert to_units("1/12", "x") == 2
    assert to_units(10.5, "x") == 252
    for bad in ("ten", None, True, "1/0"):
        with pytest.raises(ParameterError, match="x: "):
            to_units(bad, "x")


def test_missing_reference(scratch: Path):
    _edit(scratch, 2026, lambda t: t["tax"]["bonus_points_per_year"].pop("reference"))
    with pytest.raises(ParameterError, match=r"2026\.yaml.*'tax\.bonus_points_per_year' has no reference"):
        load(2026, scratch)


@pytest.mark.parametrize("reference", ["", "   ", None])
def test_empty_reference(scratch: Path, reference):
    _edit(scratch, 2026, lambda t: t["ranking"]["quota"].update(reference=reference))
    with pytest.raises(ParameterError, match=r"'ranking\.quota' has no reference"):
        load(2026, scratch)


def test_bare_value_without_leaf(scratch: Path):
    _edit(scratch, 2026, lambda t: t["ranking"].update(quota=6000))
    with pytest.raises(ParameterError, match=r"'ranking\.quota' must be a mapping \{value, reference\}"):
        load(2026, scratch)


def test_missing_parameter(scratch: Path):
    _edit(scratch, 2026, lambda t: t["age"].pop("reference_year"))
    with pytest.raises(ParameterError, match=r"missing parameter 'age\.reference_year'"):
        load(2026, scratch)


def test_missing_year_file(scratch: Path):
    with pytest.raises(ParameterError, match=r"no parameter file for 2031 .*known years: \['2025', '2026'\]"):
        load(2031, scratch)


def test_missing_year_file_in_repository():
    with pytest.raises(ParameterError, match="no parameter file for 1999"):
        load(1999)


def test_year_mismatch(scratch: Path):
    shutil.copy(scratch / "2026.yaml", scratch / "2027.yaml")
    with pytest.raises(ParameterError, match=r"2027\.yaml: 'year' is 2026, expected 2027"):
        load(2027, scratch)


def test_not_yaml(scratch: Path):
    (scratch / "2026.yaml").write_text("year: [2026\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML"):
        load(2026, scratch)


def test_empty_file(scratch: Path):
    (scratch / "2026.yaml").write_text("", encoding="utf-8")
    with pytest.raises(ParameterError, match="expected a mapping"):
        load(2026, scratch)


def test_fractional_count_is_not_truncated(scratch: Path):
    _edit(scratch, 2026, lambda t: t["ranking"]["quota"].update(value=6000.5))
    with pytest.raises(ParameterError, match=r"ranking\.quota: 6000\.5 is not a whole number"):
        load(2026, scratch)


def test_bad_month(scratch: Path):
    _edit(scratch, 2026, lambda t: t["area"]["start_month"].update(value="2018-13"))
    with pytest.raises(ParameterError, match=r"area\.start_month: '2018-13' is not a month"):
        load(2026, scratch)


def test_missing_catalogue(scratch: Path):
    (scratch / "award_catalogue_2026.csv").unlink()
    with pytest.raises(ParameterError, match="award catalogue .* does not exist"):
        load(2026, scratch)


def test_catalogue_points_not_whole_units(scratch: Path):
    path = scratch / "award_catalogue_2026.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",science,国家自然科学奖 一等奖,所有完成人,12,",
                                                             ",science,国家自然科学奖 一等奖,所有完成人,12.01,"),
                    encoding="utf-8")
    with pytest.raises(ParameterError, match=r"nsa_1_all: 12\.01 points is not a whole number of 1/24 units"):
        load(2026, scratch).award_points()


def test_month_index_round_trip():
    assert month_index("2019-01") == 2019 * 12
    assert month_index(dt.date(2025, 12, 31)) == month_index("2025-12")
    assert month_label(month_index("1998-07")) == "1998-07"


# --------------------------------------------------------------------------- no rules literals in code
#
# Every policy number lives in parameters/<year>.yaml. This guard scans the
# code trees for the distinctive ones: years of any parameter file (1998,
# 2018, 2020, and the year-relative years), district codes, the quota, the
# tax threshold, the rank-interval bounds and labels. Small numbers (12, 3,
# 84, 45, …) cannot be told from ordinary code and are not scanned; nor are
# 1 and the powers of ten 1000/10000 (batch sizes, milliseconds).
#
# Only genuine literals count: Python via the AST (comments and docstrings
# are ignored, identifiers such as `p2020` never match); SQL after removing
# `--`, `/* */` and Jinja `{# #}` comments, looking at string literals and
# bare numbers but not identifiers. A line may opt out with the marker
# `noqa: rules-literal` (say why next to it).

CODE_TREES = ("transforms", "sql", "flows")
PRAGMA = "noqa: rules-literal"
SQL_SUFFIXES = {".sql", ".j2", ".jinja", ".jinja2"}
CONFIG_SUFFIXES = {".yaml", ".yml", ".toml", ".json", ".cfg", ".ini"}


def _policy_literals() -> tuple[set[int], set[str]]:
    """(numbers, strings) that may only appear in parameter files."""
    numbers: set[int] = {1998, 2018, 2020}
    strings: set[str] = set()

    def visit(value) -> None:
        if isinstance(value, dict):
            for v in value.values():
                visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)
        elif isinstance(value, dt.date):
            numbers.add(value.year)
        elif isinstance(value, int) and not isinstance(value, bool) and value >= 1000:
            numbers.add(value)
        elif isinstance(value, str):
            numbers.update(int(m) for m in re.findall(r"\b(\d{4,})\b", value))

    for path in YEAR_FILES:
        tree = _tree(path)
        numbers.add(int(tree["year"]))
        for dotted, node in _leaves(tree).items():
            if dotted == "ranking.rank_intervals":
                for interval in node["value"]:
                    strings.add(str(interval["label"]))
            visit(node["value"])
    numbers -= {1, 1000, 10000}
    return numbers, strings


def _number_pattern(numbers: set[int]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((str(n) for n in numbers), key=len, reverse=True))
    # ASCII boundaries only: 2020年 and '2020-07' match, p2020 / 12018 / 1.2018 do not.
    return re.compile(rf"(?<![0-9A-Za-z_.])(?:{alternatives})(?![0-9A-Za-z_])")


def _scan_python(source: str, numbers: set[int], strings: set[str], pattern) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    lines = source.splitlines()
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                docstrings.add(id(body[0].value))
    hits = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docstrings:
            continue
        value = node.value
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            hit = value in numbers
        elif isinstance(value, str):
            hit = value in strings or bool(pattern.search(value))
        else:
            continue
        if hit and PRAGMA not in lines[node.lineno - 1]:
            hits.append((node.lineno, repr(value)))
    return hits


def _sql_tokens(source: str):
    """(line, kind, text) for string literals ('str') and code between them ('code'); comments dropped."""
    i, line, n = 0, 1, len(source)
    code_start, code_line = 0, 1
    out = []

    def flush(end: int) -> None:
        if end > code_start:
            out.append((code_line, "code", source[code_start:end]))

    while i < n:
        two = source[i:i + 2]
        if two in ("--", "/*", "{#"):
            flush(i)
            close = "\n" if two == "--" else ("*/" if two == "/*" else "#}")
            j = source.find(close, i + 2)
            j = n if j < 0 else j + (0 if close == "\n" else len(close))
            line += source.count("\n", i, j)
            i = j
            code_start, code_line = i, line
        elif source[i] in "'\"":
            flush(i)
            quote, j = source[i], i + 1
            while j < n:
                if source[j] == quote and source[j + 1:j + 2] == quote:
                    j += 2
                elif source[j] == quote:
                    break
                else:
                    j += 1
            if quote == "'":  # double quotes are identifiers, not literals
                out.append((line, "str", source[i + 1:j]))
            line += source.count("\n", i, j + 1)
            i = j + 1
            code_start, code_line = i, line
        else:
            if source[i] == "\n":
                line += 1
            i += 1
    flush(n)
    return out


def _scan_sql(source: str, strings: set[str], pattern) -> list[tuple[int, str]]:
    lines = source.splitlines()
    hits = []
    for start, kind, text in _sql_tokens(source):
        if kind == "str":
            match = pattern.search(text)
            matches = [(text.count("\n", 0, match.start()) if match else 0, repr(text))] \
                if text in strings or match else []
        else:
            matches = [(text.count("\n", 0, m.start()), m.group()) for m in pattern.finditer(text)]
        for offset, literal in matches:
            lineno = start + offset
            if PRAGMA not in lines[lineno - 1]:
                hits.append((lineno, literal))
    return hits


def _scan_config(source: str, strings: set[str], pattern) -> list[tuple[int, str]]:
    hits = []
    for lineno, raw in enumerate(source.splitlines(), 1):
        text = re.sub(r"(^|\s)#.*", "", raw)
        if PRAGMA in raw:
            continue
        hits += [(lineno, m.group()) for m in pattern.finditer(text)]
        hits += [(lineno, s) for s in strings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w+-])", text)]
    return hits


def find_rules_literals(roots: list[Path]) -> list[str]:
    """'path:line: literal' for every policy literal in the files under `roots`."""
    numbers, strings = _policy_literals()
    pattern = _number_pattern(numbers)
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or any(part.startswith((".", "__pycache__")) for part in path.parts[-3:]):
                continue
            try:
                source = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            if path.suffix == ".py":
                hits = _scan_python(source, numbers, strings, pattern)
            elif path.suffix in SQL_SUFFIXES:
                hits = _scan_sql(source, strings, pattern)
            elif path.suffix in CONFIG_SUFFIXES:
                hits = _scan_config(source, strings, pattern)
            else:
                continue
            found += [f"{path}:{lineno}: {literal}" for lineno, literal in sorted(hits, key=lambda h: h[0])]
    return found


def test_no_rules_literals_in_code():
    hits = find_rules_literals([ROOT / tree for tree in CODE_TREES])
    assert not hits, (
        "policy literals belong in parameters/<year>.yaml (see docs/parameters.md); found:\n  "
        + "\n  ".join(hits)
    )


def test_literal_guard_flags_genuine_literals(tmp_path: Path):
    (tmp_path / "bad.py").write_text(
        "import datetime as dt\n"
        "START = dt.date(1998, 7, 1)\n"
        "SPLIT = '2020-07'\n"
        "QUOTA = 6000\n"
        "THRESHOLD = 100000.0\n"
        "CENTRAL = ('110101', '110108')\n"
        "LABEL = '50001+'\n"
        "SQL = f\"select * from t where month >= '{2018}-01'\"\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.sql").write_text(
        "select *\nfrom pension\nwhere month >= date '1998-07-01'\n"
        "  and district_code not in ('110101', '110102')\n"
        "  and rank <= 6000\n"
        "  and tax_year between 2023 and 2025 -- the 2026 years\n",
        encoding="utf-8",
    )
    (tmp_path / "flow.yaml").write_text("quota: 6000\n", encoding="utf-8")
    hits = find_rules_literals([tmp_path])
    assert [h.split(str(tmp_path) + os.sep)[1] for h in hits] == [
        "bad.py:2: 1998", "bad.py:3: '2020-07'", "bad.py:4: 6000", "bad.py:5: 100000.0",
        "bad.py:6: '110101'", "bad.py:6: '110108'", "bad.py:7: '50001+'", "bad.py:8: 2018",
        "bad.sql:3: '1998-07-01'", "bad.sql:4: '110101'", "bad.sql:4: '110102'", "bad.sql:5: 6000",
        "bad.sql:6: 2023", "bad.sql:6: 2025",
        "flow.yaml:1: 6000",
    ]


def test_literal_guard_ignores_non_literals(tmp_path: Path):
    (tmp_path / "ok.py").write_text(
        '"""Employment from 1998-07 (rules §3.1); the 2020-07/2020-08 split; quota 6000."""\n'
        "# 2018-01 is the area start; comments may cite the rules\n"
        "def area(p2020, params):\n"
        '    """Months from 2018-01 on, capped at 12 points."""\n'
        "    batch = 1000  # a batch size, not a rank bound\n"
        "    return params.quota * 12 + 12018 + p2020 + 1000 * 10000\n",
        encoding="utf-8",
    )
    (tmp_path / "ok.sql").write_text(
        "-- employment months since 1998-07 (rules §3.1)\n"
        "/* split 2020-07 / 2020-08,\n   quota 6000 */\n"
        "{# 110101 东城 #}\n"
        'select "col_2020", t2018, x.m_1998 from t as x\n'
        "where x.month >= {{ params.employment_start }} and x.rank <= $quota\n"
        "  and note <> 'it''s fine' -- 6000\n",
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text("quota 6000 since 1998\n", encoding="utf-8")
    (tmp_path / "escape.py").write_text("LEGACY = 2020  # noqa: rules-literal (fixture id, not policy)\n",
                                        encoding="utf-8")
    assert find_rules_literals([tmp_path]) == []


def test_literal_guard_passes_on_empty_and_missing_trees(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "__init__.py").write_text("", encoding="utf-8")
    assert find_rules_literals([tmp_path / "empty", tmp_path / "missing"]) == []
