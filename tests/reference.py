"""Reference implementation of rules.md — the test oracle for differential testing.

Deliberately simple and independent of the production pipeline: the Parquet
extracts are read with pyarrow into plain Python rows, and each applicant is
scored on its own with Python sets of month indices (`year * 12 + month - 1`),
one function per rule, each citing its § of ../shared/spec/rules.md.
Only ints, Fractions and Decimals are used; never floats.

The reference assumes a clean snapshot (no data-contract violations), so
`data_issue_count` is always 0. Every number comes from `jflh.params.load(year)`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow.dataset as ds

from jflh.extracts import EXTRACTS
from jflh.params import Params, load, month_index

EXTRACT_NAMES = tuple(e.name for e in EXTRACTS)  # the interface (extracts.md), shared
# §2's claim extracts, restated here rather than shared: the oracle keeps its own rules.
CLAIM_EXTRACTS = ("property_claims", "lease_filings", "education", "awards", "honors")

INDICATORS = (
    "employment", "residence", "education", "education_deduction", "area",
    "innovation", "tax", "tax_penalty", "age", "honors", "law_penalty", "total",
)

# scores.parquet columns, in the order of outputs.md.
SCORE_COLUMNS = (
    ["applicant_id", "status", "eligible", "ineligibility_reasons", "complete", "ranked",
     "data_issue_count"]
    + [f"{name}_{kind}" for name in INDICATORS for kind in ("units", "points")]
    + ["rank", "rank_interval", "admitted"]
)
BAND_COLUMNS = ("label", "rank_from", "rank_to", "applicants", "max_points", "min_points")


# --------------------------------------------------------------------------- input

def read_extract(snapshot: Path, name: str) -> list[dict]:
    """Rows of one extract as plain dicts; `NAME.parquet` or directory `NAME/`."""
    snapshot = Path(snapshot)
    path = snapshot / f"{name}.parquet"
    if not path.exists():
        path = snapshot / name
    return ds.dataset(str(path), format="parquet").to_table().to_pylist()


def read_snapshot(snapshot: Path) -> dict[str, list[dict]]:
    return {name: read_extract(snapshot, name) for name in EXTRACT_NAMES}


def by_applicant(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["applicant_id"]].append(row)
    return grouped


# --------------------------------------------------------------------------- months

def mi(value: dt.date) -> int:
    """A date truncated to its month, as a month index (rules, Notation)."""
    return month_index(value)


def month_range(first: int | None, last: int | None) -> set[int]:
    """Inclusive range of month indices; an empty set when first > last."""
    if first is None or last is None or first > last:
        return set()
    return set(range(first, last + 1))


def window(start: dt.date | None, end: dt.date | None) -> tuple[int | None, int | None]:
    """The date window [start, end] as months (both ends truncated); None = open end."""
    return (None if start is None else mi(start), None if end is None else mi(end))


def months_in(*windows: tuple[int | None, int | None]) -> set[int]:
    """The months lying in every one of the inclusive windows (None = open on that side)."""
    firsts = [w[0] for w in windows if w[0] is not None]
    lasts = [w[1] for w in windows if w[1] is not None]
    return month_range(max(firsts), min(lasts))


# --------------------------------------------------------------------------- §0 rounding

def to_points(units: int) -> Decimal:
    """§0: units / 24 rounded to 2 decimals, halves away from zero (exact integers)."""
    sign = -1 if units < 0 else 1
    hundredths, remainder = divmod(abs(units) * 100, 24)
    if 2 * remainder >= 24:
        hundredths += 1
    value = Decimal(hundredths).scaleb(-2)
    return -value if sign < 0 else value


# --------------------------------------------------------------------------- §1 eligibility

def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in full years on `on`; a birthday on `on` counts as reached (§1 over_age)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def eligibility_reasons(p: Params, app: dict, d: dict) -> list[str]:
    """§1: ids of every failed eligibility rule, sorted."""
    reasons = []
    r = p.reference_date
    aid = app["applicant_id"]

    # no_permit: a permit with issued_on <= R.
    if not any(row["issued_on"] <= p.permit_issued_by for row in d["residence_permits"].get(aid, [])):
        reasons.append("no_permit")

    # over_age: age on R below the retirement age (male 60, female worker 50, female cadre 55).
    if app["gender"] == "male":
        retirement = p.retirement_age_male
    elif app["position_type"] == "cadre":
        retirement = p.retirement_age_female_cadre
    else:
        retirement = p.retirement_age_female_worker
    if age_on(app["birth_date"], r) >= retirement:
        reasons.append("over_age")

    # insurance_gap: each of the five types has a record (regular or back-paid) in every
    # month of the 84-month window ending at RM.
    insurance_window = month_range(p.insurance_window_first, p.insurance_window_last)
    rows = d["social_insurance"].get(aid, [])
    for t in p.insurance_type_order:
        months_t = {mi(row["month"]) for row in rows if row["insurance_type"] == t}
        if not insurance_window <= months_t:
            reasons.append("insurance_gap")
            break

    # too_much_back_pay: distinct back-paid months (any type) in the window at most 5.
    back_paid = {mi(row["month"]) for row in rows if row["back_paid"]} & insurance_window
    if len(back_paid) > p.max_back_paid_months:
        reasons.append("too_much_back_pay")

    # criminal_record: no row in criminal_records.
    if d["criminal_records"].get(aid):
        reasons.append("criminal_record")
    return sorted(reasons)


# --------------------------------------------------------------------------- §2 completeness

def is_complete(app: dict, d: dict, marriages: dict[str, dict]) -> bool:
    """§2: no pending claim, and no pending marriage that one of the applicant's claims links to."""
    aid = app["applicant_id"]
    for name in CLAIM_EXTRACTS:
        for row in d[name].get(aid, []):
            if row["verification"] == "pending":
                return False
    for name in ("property_claims", "lease_filings"):
        for row in d[name].get(aid, []):
            mid = row.get("marriage_id")
            if mid is not None and marriages[mid]["verification"] == "pending":
                return False
    return True


def claim_is_valid(row: dict, marriages: dict[str, dict]) -> bool:
    """§2: only 'valid' rows earn; a claim whose linked marriage is not valid is not valid."""
    if row["verification"] != "valid":
        return False
    mid = row.get("marriage_id")
    if mid is not None and marriages[mid]["verification"] != "valid":
        return False
    return True


# --------------------------------------------------------------------------- §3 base

def employment_base(p: Params, rows: list[dict]) -> set[int]:
    """§3: M_t* — regular months in [1998-07, RM] of the type with most months (ties: order)."""
    span = month_range(p.employment_start, p.employment_end)
    best: set[int] | None = None
    for t in p.insurance_type_order:  # strict '>' keeps the first type on ties
        m_t = {mi(row["month"]) for row in rows
               if row["insurance_type"] == t and not row["back_paid"]} & span
        if best is None or len(m_t) > len(best):
            best = m_t
    return best or set()


# --------------------------------------------------------------------------- §3.1

def employment_units(p: Params, m_star: set[int]) -> int:
    """§3.1: 6 units per month of E = |M_t*|."""
    return p.employment_units_per_month * len(m_star)


# --------------------------------------------------------------------------- §3.2

def marriage_window(row: dict, relation: str, marriages: dict[str, dict]) -> tuple:
    """The linked marriage [married_on, divorced_on] when the claim is the spouse's, else open."""
    if row[relation] != "spouse":
        return (None, None)
    m = marriages[row["marriage_id"]]
    return window(m["married_on"], m["divorced_on"])


def owned_claim_months(p: Params, row: dict, marriages: dict[str, dict]) -> set[int]:
    """§3.2: [claimed] ∩ [registered_on, certificate_expired_on] (∩ marriage) ∩ [1998-07, RM]."""
    return months_in(window(row["claimed_start"], row["claimed_end"]),
                     window(row["registered_on"], row["certificate_expired_on"]),
                     marriage_window(row, "owner_relation", marriages),
                     (p.employment_start, p.employment_end))


def valid_owned_claims(aid: str, d: dict, marriages: dict[str, dict]) -> list[dict]:
    return [row for row in d["property_claims"].get(aid, [])
            if row["residence_kind"] == "owned" and claim_is_valid(row, marriages)]


def owned_months(p: Params, aid: str, d: dict, marriages: dict[str, dict]) -> set[int]:
    """§3.2: O — distinct months covered by a valid owned-home claim."""
    months: set[int] = set()
    for row in valid_owned_claims(aid, d, marriages):
        months |= owned_claim_months(p, row, marriages)
    return months


def filed_rental_months(p: Params, aid: str, d: dict, marriages: dict[str, dict],
                        owned: set[int]) -> set[int]:
    """§3.2: L2 — P2 months of valid leases and dormitories, minus owned months."""
    p2 = (p.period2_first, p.employment_end)
    months: set[int] = set()
    for row in d["lease_filings"].get(aid, []):
        if claim_is_valid(row, marriages):
            months |= months_in(window(row["claimed_start"], row["claimed_end"]),
                                window(row["contract_start"], row["contract_end"]),
                                marriage_window(row, "tenant_relation", marriages), p2)
    for row in d["property_claims"].get(aid, []):
        if row["residence_kind"] == "dormitory" and claim_is_valid(row, marriages):
            months |= months_in(window(row["claimed_start"], row["claimed_end"]),
                                window(row["registered_on"], row["certificate_expired_on"]), p2)
    return months - owned  # one type per month; owned wins


def residence(p: Params, m_star: set[int], owned: set[int], l2: set[int]) -> tuple[int, dict]:
    """§3.2: residence units, and the month counts used by the education deduction."""
    p1 = month_range(p.employment_start, p.period1_last)
    p2 = month_range(p.period2_first, p.employment_end)
    e1, e2 = len(m_star & p1), len(m_star & p2)
    o1, o2 = len(owned & p1), len(owned & p2)
    owned1 = min(o1, e1)
    rent1 = e1 - owned1
    owned2 = min(o2, e2)
    rent2 = min(len(l2), e2 - owned2)
    units = p.owned_units_per_month * (owned1 + owned2) + p.rented_units_per_month * (rent1 + rent2)
    return units, {"owned1": owned1, "rent1": rent1, "owned2": owned2, "rent2": rent2}


# --------------------------------------------------------------------------- §3.3

def education_readings(p: Params, row: dict) -> list[tuple[int, int, int]]:
    """§3.3: (points_units, deduction_years, g) readings of one record.

    A table pair gives one reading; an off-table pair gives its level-only reading
    (dated by graduated_on) and its degree-only reading (dated by degree_awarded_on).
    """
    table = {(r.level, r.degree): r for r in p.education_table}
    level, degree = row["education_level"], row["degree"]

    def reading(lv: str | None, dg: str | None) -> tuple[int, int, int]:
        r = table[(lv, dg)]
        g = mi(row["graduated_on"]) if lv is not None else mi(row["degree_awarded_on"])
        return (r.points_units, r.deduction_years, g)

    if (level, degree) in table:
        return [reading(level, degree)]
    return [reading(level, None), reading(None, degree)]


def education(p: Params, m_star: set[int], owned: set[int], l2: set[int], counts: dict,
              rows: list[dict], marriages: dict[str, dict]) -> tuple[int, int]:
    """§3.3: (education_units, education_deduction_units ≤ 0) of the best valid record."""
    rm = p.reference_month
    residence_total = counts["owned1"] + counts["owned2"] + counts["rent1"] + counts["rent2"]
    span = month_range(p.employment_start, p.employment_end)
    candidates = []  # (net, points_units, record_id, deduction_units), one per valid record
    for row in rows:
        if not claim_is_valid(row, marriages):
            continue
        readings = []
        for points, years, g in education_readings(p, row):
            if g > rm:  # a reading with g > RM earns nothing
                readings.append((0, 0, 0))
                continue
            win = month_range(g - 12 * years + 1, g)
            employment_months = len(m_star & win)
            d_months = {m for m in win & span
                        if m in owned or m in l2 or (m <= p.period1_last and m in m_star)}
            deduction = (p.deduction_employment_units_per_month * employment_months
                         + p.deduction_residence_units_per_month
                         * min(len(d_months), residence_total))
            readings.append((points - deduction, points, deduction))
        # the better reading by net; equal nets: the higher points ([interpretation], as for records)
        net, points, deduction = max(readings, key=lambda r: (r[0], r[1]))
        candidates.append((net, points, row["record_id"], deduction))
    if not candidates:
        return 0, 0
    # highest net, then the higher points, then the lower record_id
    _, points, _, deduction = min(candidates, key=lambda c: (-c[0], -c[1], c[2]))
    return points, -deduction


# --------------------------------------------------------------------------- §3.4

def area(p: Params, app: dict, d: dict, marriages: dict[str, dict]) -> int:
    """§3.4: job–residence area units (opt-in; outside the six districts)."""
    if not app["opts_job_residence"]:
        return 0
    aid = app["applicant_id"]
    rm = p.reference_month
    months = month_range(p.area_start, rm)
    central = set(p.central_districts)
    live_out: set[int] = set()
    for row in valid_owned_claims(aid, d, marriages):
        if row["district_code"] not in central:
            live_out |= owned_claim_months(p, row, marriages)
    live_out &= months
    work_out = {mi(row["month"]) for row in d["social_insurance"].get(aid, [])
                if row["insurance_type"] == "pension" and row["district_code"] not in central}
    work_out &= months
    if rm not in live_out:
        return 0
    both = len(live_out & work_out)
    live_only = len(live_out - work_out)
    year = p.area_months_per_year
    units = (p.area_both_units_per_year * (both // year)
             + p.area_live_only_units_per_year * (((both % year) + live_only) // year))
    return min(units, p.area_cap_units)


# --------------------------------------------------------------------------- §3.5

def innovation(p: Params, rows: list[dict], catalogue: dict[str, int],
               marriages: dict[str, dict]) -> int:
    """§3.5: maximum catalogue points over valid awards, capped at 12."""
    best = max((catalogue[row["award_code"]] for row in rows
                if claim_is_valid(row, marriages)), default=0)
    return min(best, p.innovation_cap_units)


# --------------------------------------------------------------------------- §3.6

def tax_bonus(p: Params, app: dict, rows: list[dict]) -> int:
    """§3.6: 2 points per year ≥ 100000 in Y-3…Y-1, only if authorised and paid > 0 every year."""
    if not app["tax_authorized"]:
        return 0
    paid = {row["tax_year"]: row["iit_paid_cny"] for row in rows}
    if not all(paid.get(y, Decimal(0)) > 0 for y in p.tax_bonus_years):
        return 0
    units = sum(p.tax_bonus_units_per_year for y in p.tax_bonus_years
                if paid[y] >= p.tax_bonus_threshold_cny)
    return min(units, p.tax_bonus_cap_units)


def tax_penalty(p: Params, rows: list[dict]) -> int:
    """§3.6: −12 points per violation dated in Y-5…Y-1 with fine ≥ 50 (≤ 0)."""
    count = sum(1 for row in rows
                if row["penalty_date"].year in p.tax_penalty_years
                and row["fine_cny"] >= p.tax_penalty_min_fine_cny)
    return -p.tax_penalty_units * count


# --------------------------------------------------------------------------- §3.7–3.9

def age_units(p: Params, app: dict) -> int:
    """§3.7: a = (Y−2) − birth_year; max(0, 20 − 4 × max(0, a − 45))."""
    a = p.age_reference_year - app["birth_date"].year
    return max(0, p.age_full_units - p.age_units_per_year_over * max(0, a - p.age_full_max_age))


def honors(p: Params, rows: list[dict], marriages: dict[str, dict]) -> int:
    """§3.8: any valid honour → 20 points, not cumulative."""
    return p.honors_units if any(claim_is_valid(r, marriages) for r in rows) else 0


def law_penalty(p: Params, rows: list[dict]) -> int:
    """§3.9: −30 points per detention dated in Y-5…Y-1 (≤ 0)."""
    return -p.detention_units * sum(1 for r in rows if r["detained_on"].year in p.detention_years)


# --------------------------------------------------------------------------- one applicant

def score_applicant(p: Params, app: dict, d: dict, marriages: dict[str, dict],
                    catalogue: dict[str, int]) -> dict:
    """§1–§3 for one applicant; §4 rank fields are filled in by `reference_scores`."""
    aid = app["applicant_id"]
    reasons = eligibility_reasons(p, app, d)
    complete = is_complete(app, d, marriages)
    eligible = not reasons
    ranked = (app["status"] == "submitted" and bool(app["employer_confirmed"])
              and eligible and complete)

    m_star = employment_base(p, d["social_insurance"].get(aid, []))
    owned = owned_months(p, aid, d, marriages)
    l2 = filed_rental_months(p, aid, d, marriages, owned)
    residence_units, counts = residence(p, m_star, owned, l2)
    education_units, deduction_units = education(
        p, m_star, owned, l2, counts, d["education"].get(aid, []), marriages)

    units = {
        "employment": employment_units(p, m_star),
        "residence": residence_units,
        "education": education_units,
        "education_deduction": deduction_units,
        "area": area(p, app, d, marriages),
        "innovation": innovation(p, d["awards"].get(aid, []), catalogue, marriages),
        "tax": tax_bonus(p, app, d["tax_payments"].get(aid, [])),
        "tax_penalty": tax_penalty(p, d["tax_violations"].get(aid, [])),
        "age": age_units(p, app),
        "honors": honors(p, d["honors"].get(aid, []), marriages),
        "law_penalty": law_penalty(p, d["detentions"].get(aid, [])),
    }
    units["total"] = sum(units.values())  # §4: plain sum (deduction, penalties ≤ 0)

    result: dict = {
        "applicant_id": aid,
        "status": app["status"],
        "eligible": eligible,
        "ineligibility_reasons": reasons,
        "complete": complete,
        "ranked": ranked,
        "data_issue_count": 0,
    }
    for name in INDICATORS:
        result[f"{name}_units"] = units[name]
        result[f"{name}_points"] = to_points(units[name])
    result["rank"] = None
    result["rank_interval"] = None
    result["admitted"] = False
    return result


# --------------------------------------------------------------------------- §4

def rank_and_admit(p: Params, scores: dict[str, dict], quota: int) -> int | None:
    """§4: competition rank, interval label, admission with all ties at the cutoff. Returns c."""
    ranked = sorted((s for s in scores.values() if s["ranked"]),
                    key=lambda s: -s["total_units"])
    if not ranked:
        return None
    for s in ranked:
        # competition rank = 1 + number of ranked applicants with a strictly higher total
        s["rank"] = 1 + sum(1 for o in ranked if o["total_units"] > s["total_units"])
        for interval in p.rank_intervals:
            if interval.rank_from <= s["rank"] and (interval.rank_to is None
                                                    or s["rank"] <= interval.rank_to):
                s["rank_interval"] = interval.label
                break
    cutoff = ranked[min(quota, len(ranked)) - 1]["total_units"]
    for s in ranked:
        s["admitted"] = s["total_units"] >= cutoff
    return cutoff


def reference_scores(snapshot: Path, year: int, quota: int | None = None) -> dict[str, dict]:
    """applicant_id → a dict with exactly the scores.parquet columns (outputs.md)."""
    p = load(year)
    raw = read_snapshot(Path(snapshot))
    d = {name: by_applicant(rows) for name, rows in raw.items() if name != "applicants"}
    marriages = {row["marriage_id"]: row for row in raw["marriages"]}
    catalogue = p.award_points()
    scores = {app["applicant_id"]: score_applicant(p, app, d, marriages, catalogue)
              for app in raw["applicants"]}
    rank_and_admit(p, scores, p.quota if quota is None else quota)
    return scores


def with_quota(scores: dict[str, dict], year: int, quota: int | None) -> dict[str, dict]:
    """A copy of `scores` ranked and admitted again under another quota (what-if, §4)."""
    p = load(year)
    again = {aid: {**s, "rank": None, "rank_interval": None, "admitted": False}
             for aid, s in scores.items()}
    rank_and_admit(p, again, p.quota if quota is None else quota)
    return again


def reference_cutoff(scores: dict[str, dict]) -> int | None:
    """§4: cutoff_units = lowest total among the admitted (null when nobody is ranked)."""
    admitted = [s["total_units"] for s in scores.values() if s["admitted"]]
    return min(admitted) if admitted else None


def reference_bands(scores: dict[str, dict], year: int) -> list[dict]:
    """§4 band table: one row per rank interval, in interval order, also when empty."""
    p = load(year)
    bands = []
    for interval in p.rank_intervals:
        totals = [s["total_units"] for s in scores.values()
                  if s["rank"] is not None and interval.rank_from <= s["rank"]
                  and (interval.rank_to is None or s["rank"] <= interval.rank_to)]
        bands.append({
            "label": interval.label,
            "rank_from": interval.rank_from,
            "rank_to": interval.rank_to,
            "applicants": len(totals),
            "max_points": to_points(max(totals)) if totals else None,
            "min_points": to_points(min(totals)) if totals else None,
        })
    return bands
