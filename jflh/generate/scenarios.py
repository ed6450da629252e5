"""Boundary cases of rules.md, planted deterministically into the world.

Every applicant whose serial `g` has `g % PLANT_EVERY == PLANT_AT` gets scenario
`(g // PLANT_EVERY) % len(SCENARIOS)`: first a clean baseline (continuous
insurance, a permit, submitted and confirmed, every claim valid), then the
scenario's own change. With PLANT_EVERY = 16, any snapshot of at least
16 × len(SCENARIOS) applicants holds every scenario at least once (the
2,000-applicant sample holds each once or twice); 1/16 of a large pool is planted.
All policy dates come from the year's parameters (`w.ctx.p`).
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import numpy as np

from jflh.generate.common import NULL, day, day_in_month, month_of
from jflh.generate.world import (EDU_PAIRS, INVALID, LEVELS, PENDING, SELF, SPOUSE, VALID, World,
                                 sell, set_dorm, set_education, set_leases, set_owned)

PLANT_EVERY, PLANT_AT = 16, 5
DEGREES = (None, "bachelor", "master", "doctor")  # index = degree code
NEVER = np.int32(2**30)
SCENARIOS: list[tuple[str, Callable[[World, np.ndarray], None]]] = []


def scenario(name: str):
    def register(fn):
        SCENARIOS.append((name, fn))
        return fn
    return register


def plant_scenarios(w: World) -> None:
    """Apply the baseline and each scenario to its planted applicants."""
    planted = w.gidx % PLANT_EVERY == PLANT_AT
    which = (w.gidx // PLANT_EVERY) % len(SCENARIOS)
    w.scenario = np.where(planted, which, -1)
    if planted.any():
        baseline(w, planted)
    for k, (_, apply) in enumerate(SCENARIOS):
        m = w.scenario == k
        if m.any():
            apply(w, m)


def baseline(w: World, m: np.ndarray) -> None:
    """Eligible, submitted, confirmed and complete unless the scenario says otherwise."""
    clean_career(w, m)
    w.pm_exists[m, 0], w.pm_exists[m, 1] = True, False
    w.pm_on[m, 0] = np.minimum(w.pm_on[m, 0], w.ctx.R - 1)
    w.submitted[m], w.confirmed[m] = True, True
    w.cr_exists[m] = False
    for name in ("pc_ver", "ls_ver", "ed_ver", "aw_ver", "ho_ver", "mar_ver"):
        getattr(w, name)[m] = VALID


def clean_career(w: World, m: np.ndarray, start: np.ndarray | None = None) -> None:
    """No gaps, back payments or per-type lags; optionally a new career start."""
    if start is not None:
        w.cs[m] = start[m] if np.ndim(start) else start
        w.jobs_at[m] = np.where(w.jobs_at[m] <= w.cs[m, None], NEVER, w.jobs_at[m])
    w.gap_len[m], w.bp_len[m], w.tg_len[m] = 0, 0, 0
    w.ts[m] = np.maximum(w.cs[m, None], w.ctx.type_intro[None, :])


def born(w: World, m: np.ndarray, date: dt.date, male: bool | None = None, cadre: bool | None = None) -> None:
    w.birth[m] = day(date)
    if male is not None:
        w.male[m] = male
    if cadre is not None:
        w.cadre[m] = cadre


def ym(y: int, month: int) -> int:
    return y * 12 + month - 1


def full(w: World, value) -> np.ndarray:
    return np.full(w.n, value, dtype=np.int32)


# ---------------------------------------------------------------- housing helpers
def no_homes(w: World, m: np.ndarray) -> None:
    w.pc_exists[m], w.ls_exists[m] = False, False


def make_owner(w: World, m, start, relation=SELF, marriage=-1, district=None) -> None:
    """Only one owned home (slot 0), bought in month `start`, registered at once."""
    no_homes(w, m)
    set_owned(w, m, 0, np.asarray(start, dtype=np.int32) * np.ones(w.n, np.int32),
              np.full(w.n, relation), np.full(w.n, marriage))
    w.pc_reg[m, 0] = day_in_month(w.rng, w.pc_cs[:, 0])[m]
    w.pc_ce[m, 0] = w.ctx.RM
    if district is not None:
        w.pc_dist[m, 0] = district[m]


def make_renter(w: World, m, first) -> None:
    no_homes(w, m)
    set_leases_for(w, m, first, 7)


def set_leases_for(w: World, m, first, count) -> None:
    """Re-draw the lease slots of `m` only (others keep theirs)."""
    keep = {k: getattr(w, k).copy() for k in ("ls_exists", "ls_cs", "ls_ce", "ls_dist", "ls_ver",
                                              "ls_cstart", "ls_cend")}
    set_leases(w, m, np.asarray(first, dtype=np.int32) * np.ones(w.n, np.int32), np.full(w.n, count))
    for k, old in keep.items():
        new = getattr(w, k)
        new[~m] = old[~m]
    w.ls_ver[m] = VALID
    w.ls_rel[m], w.ls_mar[m] = SELF, -1


def married(w: World, m, on: np.ndarray | None = None) -> None:
    """One ongoing marriage (slot 0)."""
    default = np.minimum(w.birth + int(26 * 365.25), w.ctx.R - 400)
    w.mar_on[m, 0] = (default if on is None else on)[m]
    w.div_on[m, 0], w.mar_on[m, 1] = NULL, NULL


def outer_employers(w: World, central: bool = False) -> np.ndarray:
    pool = np.nonzero(w.ctx.central[w.ctx.emp_district] == central)[0]
    return pool[w.rng.integers(0, len(pool), (w.n, 4))]


def outer_district(w: World, central: bool = False) -> np.ndarray:
    pool = np.nonzero(w.ctx.central == central)[0]
    return pool[w.rng.integers(0, len(pool), w.n)]


# ---------------------------------------------------------------- §1 eligibility
@scenario("no_permit")
def _(w, m): w.pm_exists[m] = False


@scenario("permit_issued_on_R")
def _(w, m): w.pm_on[m, 0] = w.ctx.R


@scenario("permit_issued_day_after_R")
def _(w, m): w.pm_on[m, 0] = w.ctx.R + 1


def _retirement(male: bool, cadre: bool, age_of, reached: bool):
    def apply(w, m):
        y = w.ctx.p.reference_date.year - age_of(w.ctx.p)
        born(w, m, w.ctx.p.reference_date.replace(year=y) + dt.timedelta(days=0 if reached else 1), male, cadre)
    return apply


for _sex, _male, _cadre, _age in (("male", True, False, lambda p: p.retirement_age_male),
                                  ("female_worker", False, False, lambda p: p.retirement_age_female_worker),
                                  ("female_cadre", False, True, lambda p: p.retirement_age_female_cadre)):
    scenario(f"retirement_reached_on_R_{_sex}")(_retirement(_male, _cadre, _age, True))
    scenario(f"retirement_one_day_short_{_sex}")(_retirement(_male, _cadre, _age, False))


@scenario("gap_in_one_type_in_window")
def _(w, m):
    w.tg_start[m, 2], w.tg_len[m, 2] = w.ctx.p.insurance_window_first + 30, 2


@scenario("gap_all_types_in_window")
def _(w, m):
    w.gap_start[m, 1], w.gap_len[m, 1] = w.ctx.p.insurance_window_first + 40, 3


def _back_paid(months: int, start_offset: int):
    def apply(w, m):
        w.bp_start[m, 1] = w.ctx.p.insurance_window_first + start_offset
        w.bp_len[m, 1], w.bp_type[m, 1] = months, -1
    return apply


scenario("back_paid_5_months_in_window")(_back_paid(5, 20))
scenario("back_paid_6_months_in_window")(_back_paid(6, 20))
scenario("back_paid_8_months_before_window")(_back_paid(8, -20))


@scenario("back_paid_3_pension_3_medical_in_window")
def _(w, m):
    w.bp_start[m] = w.ctx.p.insurance_window_first + np.array([10, 50])
    w.bp_len[m], w.bp_type[m] = 3, np.array([0, 1], dtype=np.int8)


@scenario("criminal_record")
def _(w, m): w.cr_exists[m, 0] = True


@scenario("career_starts_first_window_month")
def _(w, m): clean_career(w, m, full(w, w.ctx.p.insurance_window_first))


@scenario("career_starts_second_window_month")
def _(w, m): clean_career(w, m, full(w, w.ctx.p.insurance_window_first + 1))


# ---------------------------------------------------------------- §2 who is ranked
@scenario("draft")
def _(w, m): w.submitted[m] = False


@scenario("employer_unconfirmed")
def _(w, m): w.confirmed[m] = False


def _claim_status(kind: str, status: int):
    def apply(w, m):
        if kind == "property":
            make_owner(w, m, w.cs + 12)
            w.pc_ver[m, 0] = status
        elif kind == "lease":
            make_renter(w, m, full(w, w.ctx.p.period2_first))
            w.ls_ver[m, 2] = status
        elif kind == "education":
            w.ed_ver[m, 0] = status
        elif kind == "award":
            w.aw_exists[m, 0], w.aw_ver[m, 0] = True, status
        else:
            w.ho_exists[m, 0], w.ho_ver[m, 0] = True, status
    return apply


for _kind in ("property", "lease", "education", "award", "honor"):
    scenario(f"pending_{_kind}")(_claim_status(_kind, PENDING))
    scenario(f"invalid_{_kind}")(_claim_status(_kind, INVALID))


def _linked_marriage(status: int):
    def apply(w, m):
        married(w, m)
        make_owner(w, m, w.cs + 12, SPOUSE, 0)
        w.mar_ver[m, 0] = status
    return apply


scenario("pending_marriage_linked_to_claim")(_linked_marriage(PENDING))
scenario("invalid_marriage_linked_to_claim")(_linked_marriage(INVALID))


@scenario("pending_marriage_without_claim")
def _(w, m):
    married(w, m)
    make_owner(w, m, w.cs + 12)
    w.mar_ver[m, 0] = PENDING


# ---------------------------------------------------------------- §3.1 chosen type
@scenario("pension_started_later_medical_chosen")
def _(w, m):
    clean_career(w, m, np.maximum(w.cs, ym(2006, 1)))
    w.ts[m, 0] = w.cs[m] + 12


@scenario("all_types_tie")
def _(w, m): clean_career(w, m, np.maximum(w.cs, ym(2006, 1)))


@scenario("career_before_employment_start")
def _(w, m):
    born(w, m, dt.date(w.ctx.year - 52, 6, 15), male=True)
    clean_career(w, m, full(w, w.ctx.p.employment_start - 28))


# ---------------------------------------------------------------- §3.2 residence
@scenario("owned_exceeds_E1")
def _(w, m):
    clean_career(w, m, np.maximum(w.cs, ym(2008, 1)))
    make_owner(w, m, w.cs - 36)


@scenario("owned_below_E1")
def _(w, m): make_owner(w, m, w.cs + 60)


@scenario("spouse_home_cut_by_marriage_start")
def _(w, m):
    start = w.cs + 12
    married(w, m, day_in_month(w.rng, start + 24))
    make_owner(w, m, start, SPOUSE, 0)


@scenario("spouse_home_cut_by_divorce_then_remarriage")
def _(w, m):
    R = w.ctx.R
    first = np.minimum(w.birth + int(25 * 365.25), R - 6 * 365)
    w.mar_on[m, 0], w.div_on[m, 0], w.mar_on[m, 1], w.div_on[m, 1] = first[m], R - 3 * 365, R - 365, NULL
    make_owner(w, m, month_of(first) + 6, SPOUSE, 0)


@scenario("certificate_expired_mid_claim")
def _(w, m):
    make_owner(w, m, w.cs + 12)
    sale = full(w, w.ctx.RM - 24)
    sell(w, m, 0, sale, claimed_beyond=np.ones(w.n, bool))
    set_owned(w, m, 1, sale + 1, np.full(w.n, SELF), np.full(w.n, -1))


@scenario("registered_after_claimed_start")
def _(w, m):
    make_owner(w, m, w.cs + 12)
    w.pc_reg[m, 0] = day_in_month(w.rng, w.cs + 15)[m]


@scenario("leases_before_2020_08")
def _(w, m): make_renter(w, m, full(w, w.ctx.p.period2_first - 29))


@scenario("lease_overlapping_owned_months")
def _(w, m):
    make_owner(w, m, w.cs + 6)
    set_leases_for(w, m, full(w, w.ctx.p.period2_first + 2), 3)


@scenario("dormitory")
def _(w, m):
    no_homes(w, m)
    set_dorm(w, m, 0, np.maximum(w.cs, w.ctx.p.period2_first - 40), full(w, w.ctx.RM))


@scenario("dormitory_before_2020_08_only")
def _(w, m):
    no_homes(w, m)
    set_dorm(w, m, 0, w.cs, full(w, w.ctx.p.period1_last - 3))


@scenario("lease_by_spouse")
def _(w, m):
    married(w, m)
    make_renter(w, m, full(w, w.ctx.p.period2_first))
    w.ls_rel[m], w.ls_mar[m] = SPOUSE, 0


@scenario("owned2_capped_by_back_paid_months")
def _(w, m):
    make_owner(w, m, w.cs + 6)
    w.bp_start[m, 0], w.bp_len[m, 0], w.bp_type[m, 0] = w.ctx.p.period2_first + 10, 3, -1


# ---------------------------------------------------------------- §3.3 education
def _education(pair: int, overseas: bool = False, in_service: bool = False):
    def apply(w, m):
        w.ed_exists[m] = False
        set_education(w, m, 0, np.full(w.n, pair), np.full(w.n, in_service))
        w.ed_src[m, 0] = int(overseas)
    return apply


for _k, (_lvl, _deg) in enumerate(EDU_PAIRS):
    _name = f"{LEVELS[_lvl] if _lvl >= 0 else 'none'}_{DEGREES[_deg] if _deg >= 0 else 'none'}"
    scenario(f"education_{_name}")(_education(_k, overseas=_lvl < 0))
scenario("education_in_service_master")(_education(6, in_service=True))


@scenario("education_graduated_after_RM")
def _(w, m):
    _education(6, in_service=True)(w, m)
    grad = day_in_month(w.rng, full(w, w.ctx.RM + 3))
    w.ed_grad[m, 0], w.ed_deg_on[m, 0] = grad[m], grad[m] + 5
    set_education(w, m, 1, np.full(w.n, 3), np.zeros(w.n, bool))


@scenario("education_off_table_level_after_RM_degree_before")
def _(w, m):
    _education(10)(w, m)  # master level, bachelor degree
    w.ed_grad[m, 0] = day_in_month(w.rng, full(w, w.ctx.RM + 2))[m]


# ---------------------------------------------------------------- §3.4 area
def _area(home_from, work_outer_from=None, sold_at=None, central_home=False):
    """Opted in; one home (outer unless central_home) from month home_from(w)."""
    def apply(w, m):
        w.opts[m] = True
        make_owner(w, m, home_from(w), district=outer_district(w, central_home))
        w.emp[m] = outer_employers(w)[m]
        w.jobs_at[m], w.njobs[m] = NEVER, 1
        if work_outer_from is not None:
            w.emp[m, 0] = outer_employers(w, central=True)[m, 0]
            w.jobs_at[m, 0], w.njobs[m] = work_outer_from(w)[m], 2
        if sold_at is not None:
            sale = full(w, w.ctx.RM - sold_at)
            sell(w, m, 0, sale, claimed_beyond=np.zeros(w.n, bool))
            set_owned(w, m, 1, sale + 1, np.full(w.n, SELF), np.full(w.n, -1))
            w.pc_dist[m, 1] = outer_district(w, central=True)[m]
            w.pc_reg[m, 1] = day_in_month(w.rng, sale + 1)[m]
    return apply


scenario("area_capped_at_12")(_area(lambda w: np.minimum(w.cs + 6, w.ctx.p.area_start - 24)))
scenario("area_both_exactly_12")(_area(lambda w: full(w, w.ctx.RM - 11)))
scenario("area_both_11")(_area(lambda w: full(w, w.ctx.RM - 10)))
scenario("area_both_18_live_only_14")(_area(lambda w: full(w, w.ctx.RM - 31),
                                            work_outer_from=lambda w: full(w, w.ctx.RM - 17)))
scenario("area_outer_home_sold_before_RM")(_area(lambda w: w.cs + 6, sold_at=5))
scenario("area_central_home")(_area(lambda w: w.cs + 6, central_home=True))


# ---------------------------------------------------------------- §3.5 awards
def _awards(*points: int):
    def apply(w, m):
        units = w.ctx.award_units
        for slot, pts in enumerate(points):
            codes = np.nonzero(units == pts * 24)[0]
            w.aw_exists[m, slot], w.aw_ver[m, slot] = True, VALID
            w.aw_code[m, slot] = codes[w.rng.integers(0, len(codes), w.n)][m]
    return apply


scenario("award_10_and_6")(_awards(10, 6))
scenario("award_12_and_12")(_awards(12, 12))
scenario("award_1")(_awards(1))


# ---------------------------------------------------------------- §3.6 tax
def _tax(cents: tuple[int, int, int], authorized: bool = True):
    def apply(w, m):
        w.tax_auth[m] = authorized
        w.tax_first[m] = np.minimum(w.tax_first[m], w.ctx.p.tax_bonus_years[0])
        w.tax_last[m] = np.maximum(w.tax_last[m], w.ctx.p.tax_bonus_years[-1])
        w.tax_drop[m] = False
        w.tax_fix[m] = cents
    return apply


scenario("tax_three_high_years_one_exactly_100000")(_tax((10_000_000, 25_000_000, 13_000_000)))
scenario("tax_100000_and_99999_99")(_tax((10_000_000, 9_999_999, 500_000)))
scenario("tax_high_but_one_year_missing")(_tax((20_000_000, -2, 15_000_000)))
scenario("tax_high_but_one_year_zero")(_tax((15_000_000, 0, 12_000_000)))
scenario("tax_high_not_authorized")(_tax((20_000_000, 20_000_000, 20_000_000), authorized=False))


def _dated(kind: str, dates, cents: int = 0):
    """Violations ('tv') or detentions ('dt') on the given dates (functions of params)."""
    def apply(w, m):
        for slot, date_of in enumerate(dates):
            getattr(w, f"{kind}_exists")[m, slot] = True
            getattr(w, f"{kind}_on")[m, slot] = day(date_of(w.ctx.p))
            if kind == "tv":
                w.tv_cents[m, slot] = cents
    return apply


def first_day(years):
    return lambda p: dt.date(min(getattr(p, years)), 1, 1)


def last_day(years):
    return lambda p: dt.date(max(getattr(p, years)), 12, 31)


def day_before(years):
    return lambda p: dt.date(min(getattr(p, years)) - 1, 12, 31)


def day_after(years):
    return lambda p: dt.date(max(getattr(p, years)) + 1, 1, 15)


scenario("tax_violation_50_first_and_last_day")(_dated("tv", [first_day("tax_penalty_years"),
                                                              last_day("tax_penalty_years")], 5000))
scenario("tax_violation_49_99")(_dated("tv", [last_day("tax_penalty_years")], 4999))
scenario("tax_violation_before_window")(_dated("tv", [day_before("tax_penalty_years")], 500_000))
scenario("tax_violation_after_R")(_dated("tv", [day_after("tax_penalty_years")], 500_000))
scenario("detentions_first_and_last_day")(_dated("dt", [first_day("detention_years"),
                                                        last_day("detention_years")]))
scenario("detention_before_window")(_dated("dt", [day_before("detention_years")]))
scenario("detention_after_R")(_dated("dt", [day_after("detention_years")]))


# ---------------------------------------------------------------- §3.7, §3.8
@scenario("honor")
def _(w, m): w.ho_exists[m, 0], w.ho_ver[m, 0] = True, VALID


@scenario("two_honors")
def _(w, m):
    w.ho_exists[m], w.ho_ver[m] = True, VALID
    w.ho_type[m] = np.array([0, 3])


def _born_in(years_over: int):
    def apply(w, m):
        p = w.ctx.p
        born(w, m, dt.date(p.age_reference_year - p.age_full_max_age - years_over, 3, 1), male=True)
    return apply


for _over in (0, 1, 4, 5, 8):
    scenario(f"age_{45 + _over}_on_reference_year")(_born_in(_over))
