"""The model of the world: one chunk of applicants as arrays of life facts.

`draw_world` draws, for a chunk of applicants, everything the extracts later
show: person, career (jobs, districts, gaps, back payments, per-type starts),
homes, marriages, education, tax, permits and rare events. Every attribute is
a numpy array with one row per applicant (and a few "slot" columns for
repeated records); the tables are materialised from it in `tables.py`, after
`scenarios.py` planted the boundary cases. Policy dates come from
`jflh.params`; the other dates here are choices about a plausible world.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from jflh import params as params_mod
from jflh.generate.common import (DISTRICT_CODES, NULL, day, day_in_month, join,
                                  month_first_day, month_of, numbered, pick, usccs)

# World choices (not policy): when each insurance type began to be paid in
# Beijing, in the order of INSURANCE_TYPES; when residence permits began.
TYPE_INTRO = ("1992-01", "2001-04", "1999-01", "2004-07", "2005-07")
PERMITS_FROM = "2016-01"
FIRST_SI_MONTH = "1992-01"

# Where people work and where they own homes (weights over DISTRICT_CODES).
JOB_WEIGHTS = np.array([6, 7, 22, 6, 3, 24, 1, 2, 5, 4, 5, 5, 2, 2, 2, 2], dtype=float)
HOME_WEIGHTS = np.array([8, 5, 18, 12, 5, 12, 2, 5, 10, 5, 10, 6, .5, .5, .5, .5])
N_EMPLOYERS = 4000

# Education (level, degree) pairs: -1 = null; levels 0..3 = associate..doctor,
# degrees 1..3 = bachelor..doctor. Weights as in Beijing's applicant pool.
LEVELS = ("associate", "bachelor", "master", "doctor")
EDU_PAIRS = np.array([(0, -1), (1, -1), (-1, 1), (1, 1), (2, -1), (-1, 2),
                      (2, 2), (3, -1), (-1, 3), (3, 3), (2, 1), (3, 2)])
EDU_WEIGHTS = np.array([8, 2, 1, 44, 2, 3, 28, .7, 1.5, 7, 1.5, .5])
GRAD_AGE = np.array([21, 22, 25, 29])  # by the higher of level and degree

VALID, INVALID, PENDING = 0, 1, 2
OWNED, DORM = 0, 1
SELF, SPOUSE = 0, 1


@dataclass(frozen=True)
class Context:
    """Everything fixed for a whole snapshot: parameters and derived dates."""

    p: params_mod.Params
    year: int
    R: int  # reference date, days
    RM: int  # reference month
    last_day: int  # 31 Dec Y, days
    central: np.ndarray  # bool over DISTRICT_CODES
    award_codes: np.ndarray
    award_units: np.ndarray
    emp_district: np.ndarray  # employer -> district index
    emp_uscc: pa.Array
    emp_name: pa.Array
    first_si: int
    type_intro: np.ndarray
    permits_from: int

    @classmethod
    def build(cls, year: int, seed: int) -> "Context":
        """Parameters of `year`, the award catalogue and the seed's employer pool."""
        p = params_mod.load(year)
        with p.award_catalogue.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        units = p.award_points()
        rng = np.random.default_rng([seed, 1])
        emp_district = rng.choice(16, N_EMPLOYERS, p=JOB_WEIGHTS / JOB_WEIGHTS.sum())
        return cls(
            p=p, year=year, R=day(p.reference_date), RM=p.reference_month,
            last_day=day(dt.date(year, 12, 31)),
            central=np.isin(DISTRICT_CODES, p.central_districts),
            award_codes=np.array([r["code"] for r in rows]),
            award_units=np.array([units[r["code"]] for r in rows]),
            emp_district=emp_district,
            emp_uscc=usccs(DISTRICT_CODES[emp_district], rng.integers(0, 31, (N_EMPLOYERS, 9))),
            emp_name=employer_names(rng, N_EMPLOYERS),
            first_si=params_mod.month_index(FIRST_SI_MONTH),
            type_intro=np.array([params_mod.month_index(m) for m in TYPE_INTRO]),
            permits_from=params_mod.month_index(PERMITS_FROM),
        )


EMPLOYER_WORDS = ("华信 中科 京华 博远 泰和 金桥 瑞达 宏图 天成 恒通 新元 百川 智联 联创 盛世 "
                  "安泰 远景 东方 北辰 正大 国研 汇通 云帆 星河 龙腾 启明 华夏 首创").split()
EMPLOYER_KINDS = ("科技有限公司", "信息技术有限公司", "咨询有限公司", "建设集团有限公司",
                  "医药有限公司", "文化传媒有限公司", "贸易有限公司", "研究院", "银行股份有限公司")


def employer_names(rng: np.random.Generator, n: int) -> pa.Array:
    """北京 + two words + a kind, e.g. 北京星河远景科技有限公司."""
    k = len(EMPLOYER_WORDS)
    return join("北京", pick(EMPLOYER_WORDS, rng.integers(0, k, n)), pick(EMPLOYER_WORDS, rng.integers(0, k, n)),
                pick(EMPLOYER_KINDS, rng.integers(0, len(EMPLOYER_KINDS), n)))


class World:
    """Arrays describing one chunk of applicants (attributes set by the drawers)."""

    def __init__(self, ctx: Context, gidx: np.ndarray, rng: np.random.Generator):
        self.ctx, self.gidx, self.rng, self.n = ctx, gidx, rng, len(gidx)

    def slots(self, k: int, fill=NULL, dtype=np.int32) -> np.ndarray:
        return np.full((self.n, k), fill, dtype=dtype)


def verification(rng, shape, invalid: float, pending: float) -> np.ndarray:
    u = rng.random(shape)
    return np.where(u < invalid, INVALID, np.where(u < invalid + pending, PENDING, VALID)).astype(np.int8)


def draw_world(ctx: Context, gidx: np.ndarray, rng: np.random.Generator) -> World:
    """All base draws for one chunk, in a fixed order (determinism)."""
    w = World(ctx, gidx, rng)
    w.app_ids = numbered(f"JF{ctx.year}", gidx + 1, 7)
    for drawer in (draw_person, draw_career, draw_insurance_details, draw_marriages,
                   draw_homes, draw_leases, draw_education, draw_tax, draw_events,
                   draw_flags):
        drawer(w)
    return w


def draw_person(w: World) -> None:
    """Gender, position type, birth date (ages 24-60 on R)."""
    rng, n = w.rng, w.n
    w.male = rng.random(n) < 0.56
    w.cadre = rng.random(n) < 0.3
    age = np.where(w.male, rng.triangular(24, 33, 60.99, n), rng.triangular(24, 31, 52, n))
    w.birth = (w.ctx.R - age * 365.2425).astype(np.int32)


def draw_career(w: World) -> None:
    """Beijing career of 5-28 years up to the snapshot, in 1-4 jobs."""
    ctx, rng, n = w.ctx, w.rng, w.n
    age = (ctx.R - w.birth) / 365.2425
    years = np.clip(np.minimum(age - 19, rng.triangular(5, 18, 28.99, n)), 5, 28.99)
    w.ce = (ctx.RM + rng.integers(0, 4, n)).astype(np.int32)  # pulled Dec Y-1 .. Mar Y
    w.cs = np.maximum(ctx.RM - (years * 12).astype(np.int32) + 1, ctx.first_si).astype(np.int32)
    njobs = 1 + rng.binomial(3, 0.45, n)
    cuts = np.sort(w.cs[:, None] + (rng.random((n, 3)) * (w.ce - w.cs)[:, None]).astype(np.int32), axis=1)
    w.jobs_at = np.where(np.arange(3) < (njobs - 1)[:, None], cuts, np.int32(2**30)).astype(np.int32)
    w.emp = rng.integers(0, N_EMPLOYERS, (n, 4)).astype(np.int32)
    w.njobs = njobs
    # a gap between jobs, before the insurance window (slot 0); in it (slot 1)
    w.gap_start, w.gap_len = w.slots(2, 0), w.slots(2, 0)
    before = (njobs >= 2) & (rng.random(n) < 0.3)
    w.gap_start[:, 0] = w.jobs_at[:, 0]
    w.gap_len[:, 0] = np.where(before, rng.integers(1, 7, n), 0)
    late = w.gap_start[:, 0] + w.gap_len[:, 0] > ctx.p.insurance_window_first
    w.gap_len[late, 0] = 0
    inside = rng.random(n) < 0.015
    w.gap_start[:, 1] = rng.integers(ctx.p.insurance_window_first, ctx.RM, n)
    w.gap_len[:, 1] = np.where(inside, rng.integers(1, 5, n), 0)


def draw_insurance_details(w: World) -> None:
    """Back payments and per-type differences (late starts, one-type gaps)."""
    ctx, rng, n = w.ctx, w.rng, w.n
    win0 = ctx.p.insurance_window_first
    w.bp_start, w.bp_len, w.bp_type = w.slots(2, 0), w.slots(2, 0), w.slots(2, -1, np.int8)
    some = rng.random(n) < 0.06  # a short back payment anywhere in the career
    w.bp_start[:, 0] = w.cs + (rng.random(n) * (w.ce - w.cs)).astype(np.int32)
    w.bp_len[:, 0] = np.where(some, rng.integers(1, 4, n), 0)
    many = rng.random(n) < 0.01  # a long one in the window: ineligible
    w.bp_start[:, 1] = rng.integers(win0, ctx.RM - 10, n)
    w.bp_len[:, 1] = np.where(many, rng.integers(6, 10, n), 0)
    # type starts: the world's introduction dates, plus individual lags
    w.ts = np.maximum(w.cs[:, None], ctx.type_intro[None, :]).astype(np.int32)
    lag_type = rng.choice([0, 2, 4], n, p=[0.3, 0.35, 0.35])
    lagged = rng.random(n) < 0.05
    lag = np.where(lagged, rng.integers(1, 37, n), 0)
    rows = np.arange(n)
    w.ts[rows, lag_type] = np.minimum(w.ts[rows, lag_type] + lag, np.maximum(w.ts[rows, lag_type], win0))
    # one type missing a few months: mostly before the window, rarely inside
    w.tg_start, w.tg_len = w.slots(5, 0), w.slots(5, 0)
    t = rng.integers(0, 5, n)
    pre = rng.random(n) < 0.02
    w.tg_start[rows, t] = w.ts[rows, t] + (rng.random(n) * np.maximum(win0 - w.ts[rows, t] - 6, 0)).astype(np.int32)
    w.tg_len[rows, t] = np.where(pre & (w.ts[rows, t] < win0 - 6), rng.integers(1, 7, n), 0)
    inside = rng.random(n) < 0.01
    t2 = (t + 1 + rng.integers(0, 4, n)) % 5
    w.tg_start[rows, t2] = rng.integers(win0, ctx.RM, n)
    w.tg_len[rows, t2] = np.where(inside, rng.integers(1, 3, n), w.tg_len[rows, t2])


def draw_marriages(w: World) -> None:
    """Up to two marriage segments (divorce and remarriage)."""
    ctx, rng, n = w.ctx, w.rng, w.n
    age = (ctx.R - w.birth) / 365.2425
    married = rng.random(n) < np.clip((age - 23) / 10, 0.1, 0.85)
    w.mar_on, w.div_on = w.slots(2), w.slots(2)
    at = w.birth + (rng.uniform(23, 30, n) * 365.2425).astype(np.int32)
    married &= at < ctx.R - 60
    w.mar_on[:, 0] = np.where(married, np.minimum(at, ctx.R - 60), NULL)
    divorced = married & (rng.random(n) < 0.1)
    d = w.mar_on[:, 0] + (rng.uniform(0.5, 1, n) * (ctx.R - w.mar_on[:, 0])).astype(np.int32)
    w.div_on[:, 0] = np.where(divorced, d, NULL)
    again = divorced & (rng.random(n) < 0.6)
    w.mar_on[:, 1] = np.where(again, w.div_on[:, 0] + (rng.random(n) * (ctx.R - w.div_on[:, 0])).astype(np.int32), NULL)
    w.mar_ver = verification(rng, (n, 2), 0.02, 0.02)
    w.spouse_birth = w.birth + rng.integers(-1500, 1500, n).astype(np.int32)
    w.spouse_serial = rng.integers(0, 1_800_000, (n, 2))


def current_marriage(w: World) -> np.ndarray:
    """Slot of the ongoing marriage, -1 when none."""
    on = (w.mar_on != NULL) & (w.div_on == NULL)
    return np.where(on[:, 1], 1, np.where(on[:, 0], 0, -1))


def draw_homes(w: World) -> None:
    """Owned homes (self or spouse, sold and rebought) and dormitories: 3 slots."""
    ctx, rng, n = w.ctx, w.rng, w.n
    tenure = rng.choice(5, n, p=[0.40, 0.08, 0.34, 0.08, 0.10])  # self, spouse, rent, dorm, none
    cur = current_marriage(w)
    tenure = np.where((tenure == 1) & (cur < 0), 0, tenure)
    w.tenure = tenure
    w.pc_exists = np.zeros((n, 3), bool)
    w.pc_kind, w.pc_rel, w.pc_mar = w.slots(3, OWNED, np.int8), w.slots(3, -1, np.int8), w.slots(3, -1, np.int8)
    w.pc_dist = rng.choice(16, (n, 3), p=HOME_WEIGHTS / HOME_WEIGHTS.sum())
    w.pc_cs, w.pc_ce, w.pc_reg, w.pc_exp = w.slots(3), w.slots(3), w.slots(3), w.slots(3)
    w.pc_ver = verification(rng, (n, 3), 0.03, 0.02)
    owner = tenure <= 1
    u = rng.random(n) ** 0.8
    pm = (w.cs + 6 + u * np.maximum(ctx.RM - 9 - w.cs, 0)).astype(np.int32)
    early = rng.random(n) < 0.06
    pm = np.where(early, w.cs - rng.integers(1, 61, n), pm).astype(np.int32)
    set_owned(w, owner, 0, pm, np.where(tenure == 1, SPOUSE, SELF), cur)
    # a sale and a new home for some owners
    span = ctx.RM - 6 - (pm + 24)
    sold = owner & (span > 0) & (rng.random(n) < 0.12)
    s = (pm + 24 + rng.random(n) * np.maximum(span, 0)).astype(np.int32)
    sell(w, sold, 0, s, claimed_beyond=rng.random(n) < 0.3)
    set_owned(w, sold, 1, s, np.full(n, SELF), cur)
    # dormitories: the dorm tenure, and some owners before buying
    dorm = tenure == 3
    set_dorm(w, dorm, 0, np.maximum(w.cs, ctx.RM - rng.integers(6, 120, n)), np.full(n, ctx.RM))
    before = owner & (pm - w.cs > 12) & (rng.random(n) < 0.1)
    set_dorm(w, before, 2, w.cs, pm - 1)


def set_owned(w: World, mask, slot, start, relation, marriage) -> None:
    """An owned home bought in month `start` (registration 0-4 months later)."""
    ctx, rng, n = w.ctx, w.rng, w.n
    w.pc_exists[mask, slot] = True
    w.pc_kind[mask, slot] = OWNED
    w.pc_rel[mask, slot] = relation[mask]
    w.pc_mar[mask, slot] = np.where(relation == SPOUSE, marriage, -1)[mask]
    w.pc_cs[mask, slot] = start[mask]
    w.pc_ce[mask, slot] = np.where(rng.random(n) < 0.8, ctx.RM, ctx.RM + 2)[mask]
    delay = np.where(rng.random(n) < 0.7, 0, rng.integers(1, 5, n))
    w.pc_reg[mask, slot] = day_in_month(rng, start + delay)[mask]
    w.pc_exp[mask, slot] = NULL


def sell(w: World, mask, slot, month, claimed_beyond) -> None:
    """The certificate of `slot` expires in `month` (sometimes claimed beyond)."""
    exp = np.maximum(day_in_month(w.rng, month), w.pc_reg[:, slot])
    w.pc_exp[mask, slot] = exp[mask]
    w.pc_ce[mask, slot] = np.where(claimed_beyond, w.pc_ce[:, slot], np.maximum(month, w.pc_cs[:, slot]))[mask]


def set_dorm(w: World, mask, slot, start, end) -> None:
    """A dormitory claim over [start, end]."""
    w.pc_exists[mask, slot] = True
    w.pc_kind[mask, slot] = DORM
    w.pc_rel[mask, slot] = -1
    w.pc_mar[mask, slot] = -1
    w.pc_cs[mask, slot] = start[mask]
    w.pc_ce[mask, slot] = np.maximum(end, start)[mask]
    w.pc_reg[mask, slot] = day_in_month(w.rng, start)[mask]
    w.pc_exp[mask, slot] = NULL


N_LEASES = 7


def draw_leases(w: World) -> None:
    """Consecutive one-year lease filings of renters (some from before 2020-08),
    and a few owners who also file a lease."""
    ctx, rng, n = w.ctx, w.rng, w.n
    p2 = ctx.p.period2_first
    renter = w.tenure == 2
    first = np.maximum(w.cs, p2 - rng.integers(-30, 24, n)).astype(np.int32)
    also = (w.tenure <= 1) & (rng.random(n) < 0.05)
    first = np.where(also, np.maximum(w.cs, ctx.RM - rng.integers(12, 40, n)), first)
    set_leases(w, renter | also, first, max_count=np.where(also, 2, N_LEASES))
    w.ls_rel = np.where((rng.random((n, N_LEASES)) < 0.1) & (current_marriage(w) >= 0)[:, None], SPOUSE, SELF).astype(np.int8)
    w.ls_mar = np.where(w.ls_rel == SPOUSE, current_marriage(w)[:, None], -1).astype(np.int8)


def set_leases(w: World, mask, first, max_count) -> None:
    """Up to N_LEASES consecutive 12-month leases starting at `first` (skips of 0-2 months)."""
    ctx, rng, n = w.ctx, w.rng, w.n
    skip = np.where(rng.random((n, N_LEASES)) < 0.15, rng.integers(1, 3, (n, N_LEASES)), 0)
    starts = first[:, None] + np.arange(N_LEASES) * 12 + np.cumsum(skip, axis=1) - skip[:, 0:1]
    w.ls_exists = mask[:, None] & (starts <= ctx.RM) & (np.arange(N_LEASES) < np.asarray(max_count)[..., None])
    w.ls_cs = starts.astype(np.int32)
    w.ls_ce = np.minimum(starts + 11, np.where(rng.random((n, 1)) < 0.8, ctx.RM, ctx.RM + 2)).astype(np.int32)
    w.ls_dist = rng.choice(16, (n, 1), p=HOME_WEIGHTS / HOME_WEIGHTS.sum()) * np.ones((1, N_LEASES), int)
    w.ls_ver = verification(rng, (n, N_LEASES), 0.02, 0.015)
    w.ls_cstart = (month_first_day(starts) + rng.integers(0, 28, (n, N_LEASES))).astype(np.int32)
    w.ls_cend = np.minimum(month_first_day(starts + 12) + (w.ls_cstart - month_first_day(starts)) - 1,
                           ctx.last_day).astype(np.int32)


def draw_education(w: World) -> None:
    """A main record (pair from EDU_PAIRS) and, for some, an earlier bachelor record."""
    rng, n = w.rng, w.n
    pair = rng.choice(len(EDU_PAIRS), n, p=EDU_WEIGHTS / EDU_WEIGHTS.sum())
    w.ed_exists = np.zeros((n, 2), bool)
    w.ed_exists[:, 0] = True
    w.ed_level, w.ed_degree = w.slots(2, -1, np.int8), w.slots(2, -1, np.int8)
    w.ed_grad, w.ed_deg_on = w.slots(2), w.slots(2)
    w.ed_src = w.slots(2, 0, np.int8)
    w.ed_ver = verification(rng, (n, 2), 0.02, 0.015)
    in_service = rng.random(n) < 0.12
    set_education(w, np.ones(n, bool), 0, pair, in_service)
    w.ed_src[:, 0] = (rng.random(n) < np.where(EDU_PAIRS[pair, 0] < 0, 0.7, 0.05)).astype(np.int8)
    higher = np.maximum(EDU_PAIRS[pair, 0], EDU_PAIRS[pair, 1]) >= 2
    second = higher & (rng.random(n) < 0.5)
    set_education(w, second, 1, np.full(n, 3), np.zeros(n, bool))  # bachelor/bachelor


def set_education(w: World, mask, slot, pair, in_service) -> None:
    """Fill slot with pair `pair`; dates at the usual age or during the career."""
    ctx, rng, n = w.ctx, w.rng, w.n
    level, degree = EDU_PAIRS[pair, 0], EDU_PAIRS[pair, 1]
    top = np.maximum(level, degree)
    age = GRAD_AGE[np.maximum(top, 0)]
    usual = month_of(w.birth) // 12 * 12 + age * 12 + 5 + rng.integers(0, 2, n)  # June/July
    during = w.cs + 24 + (rng.random(n) * np.maximum(ctx.RM - w.cs - 24, 0)).astype(np.int32)
    g = np.minimum(np.where(in_service & (ctx.RM - w.cs > 30), during, usual), ctx.RM - 2)
    grad = day_in_month(rng, g)
    w.ed_exists[mask, slot] = True
    w.ed_level[mask, slot] = level[mask]
    w.ed_degree[mask, slot] = degree[mask]
    w.ed_grad[mask, slot] = np.where(level >= 0, grad, NULL)[mask]
    awarded = np.minimum(grad + rng.integers(0, 20, n), ctx.R)
    w.ed_deg_on[mask, slot] = np.where(degree >= 0, awarded, NULL)[mask]


def draw_tax(w: World) -> None:
    """Yearly IIT in Beijing from the first career year; a minority of high payers."""
    ctx, rng, n = w.ctx, w.rng, w.n
    w.tax_first = np.maximum(w.cs // 12, 1994).astype(np.int32)
    w.tax_last = np.where(rng.random(n) < 0.4, ctx.year, ctx.year - 1).astype(np.int32)
    w.high = rng.random(n) < 0.08
    w.tax_mu = np.where(w.high, rng.normal(np.log(140_000), 0.35, n), rng.normal(np.log(7_000), 0.9, n))
    w.tax_drop = rng.random(n) < 0.05  # one year without Beijing tax
    w.tax_drop_year = rng.integers(w.tax_first, ctx.year, n) if n else np.zeros(0, int)
    w.tax_fix = np.full((n, 3), -1, np.int64)  # cents for the bonus years, -1 = drawn


def draw_events(w: World) -> None:
    """Permits, penalties, detentions, criminal records, awards, honours."""
    ctx, rng, n = w.ctx, w.rng, w.n
    w.pm_exists, w.pm_on = np.zeros((n, 2), bool), w.slots(2)
    kind = rng.choice(3, n, p=[0.03, 0.95, 0.02])  # none, before R, after R only
    first = np.maximum(w.cs, ctx.permits_from)
    w.pm_on[:, 0] = np.where(kind == 2, ctx.R + rng.integers(1, 90, n),
                             np.minimum(day_in_month(rng, first) + rng.integers(0, 400, n), ctx.R - 1))
    w.pm_exists[:, 0] = kind > 0
    renew = (kind == 1) & (rng.random(n) < 0.3)
    w.pm_on[:, 1] = np.minimum(w.pm_on[:, 0] + rng.integers(365, 1500, n), ctx.R + 60)
    w.pm_exists[:, 1] = renew
    adult = w.birth + int(18 * 365.25)
    w.tv_exists, w.tv_on, w.tv_cents = np.zeros((n, 2), bool), w.slots(2), np.zeros((n, 2), np.int64)
    w.tv_exists[:, 0] = rng.random(n) < 0.012
    w.tv_on[:, 0] = month_first_day(w.cs) + (rng.random(n) * (ctx.R - month_first_day(w.cs))).astype(np.int32)
    w.tv_cents[:, 0] = rng.choice([2000, 4999, 5000, 10000, 50000, 200000, 1000000], n)
    w.dt_exists, w.dt_on = np.zeros((n, 2), bool), w.slots(2)
    w.dt_exists[:, 0] = rng.random(n) < 0.004
    w.dt_on[:, 0] = adult + (rng.random(n) * (ctx.R - adult)).astype(np.int32)
    w.cr_exists, w.cr_on = np.zeros((n, 1), bool), w.slots(1)
    w.cr_exists[:, 0] = rng.random(n) < 0.003
    w.cr_on[:, 0] = adult + (rng.random(n) * (ctx.R - adult)).astype(np.int32)
    w.aw_exists = (rng.random((n, 2)) < np.array([0.015, 0.004]))
    w.aw_exists[:, 1] &= w.aw_exists[:, 0]
    w.aw_code = rng.integers(0, len(ctx.award_codes), (n, 2))
    w.aw_ver = verification(rng, (n, 2), 0.08, 0.05)
    w.ho_exists = rng.random((n, 2)) < np.array([0.004, 0.0])
    w.ho_type = rng.integers(0, 5, (n, 2))
    w.ho_ver = verification(rng, (n, 2), 0.08, 0.05)


def draw_flags(w: World) -> None:
    """Declaration status, employer confirmation, opt-ins, submission time."""
    ctx, rng, n = w.ctx, w.rng, w.n
    w.submitted = rng.random(n) < 0.9
    w.confirmed = rng.random(n) < 0.96
    outer_home = (w.pc_exists & (w.pc_kind == OWNED) & ~ctx.central[w.pc_dist]).any(axis=1)
    w.opts = rng.random(n) < np.where(outer_home, 0.75, 0.15)
    w.tax_auth = rng.random(n) < 0.88
    open_day = day(dt.date(ctx.year, 4, 1))  # the declaration window, a world choice
    w.sub_us = (open_day * 86_400 + rng.integers(0, 45 * 86_400, n)).astype(np.int64) * 1_000_000 \
        + rng.integers(0, 1_000_000, n)
