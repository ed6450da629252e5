"""Materialise the thirteen extracts (extracts.md) from a chunk's `World`.

Each function returns a `pyarrow.Table` with exactly the schema of
`jflh.extracts.BY_NAME[name].arrow_schema()`. Slot columns ((n, k) arrays with
an `exists` mask) become one row per existing slot, in applicant order.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jflh.extracts import BY_NAME, DISTRICTS, INSURANCE_TYPES
from jflh.generate.common import (DISTRICT_CODES, NULL, date_array, decimal_array,
                                  id_numbers, in_run, join, month_first_day, names,
                                  numbered, pick, year_of)
from jflh.generate.world import LEVELS, VALID, World

VERIFICATIONS = ("valid", "invalid", "pending")
DEGREES = (None, "bachelor", "master", "doctor")
HONORS = BY_NAME["honors"].column("honor_type").enum
DISTRICT_NAMES = list(DISTRICTS.values())


def table(name: str, columns: dict[str, pa.Array]) -> pa.Table:
    """Columns in schema order, with the schema's exact types."""
    schema = BY_NAME[name].arrow_schema()
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def ids(w: World, prefix: str, a: np.ndarray, slot: np.ndarray | int = 0) -> pa.Array:
    """Record ids unique within an extract: prefix + applicant serial + slot."""
    return numbered(prefix, w.gidx[a] * 10 + slot, 9)


def app_ids(w: World, a: np.ndarray) -> pa.Array:
    """applicant_id of each row (a = applicant position in the chunk)."""
    return w.app_ids.take(pa.array(a))


def applicants(w: World) -> pa.Table:
    ctx, rng = w.ctx, w.rng
    current_job = (w.jobs_at <= w.ce[:, None]).sum(axis=1)
    emp = pa.array(w.emp[np.arange(w.n), current_job])
    return table("applicants", {
        "applicant_id": w.app_ids,
        "id_number": id_numbers(w.birth, w.male, w.gidx),
        "name": names(rng, w.n),
        "gender": pick(["female", "male"], w.male.astype(int)),
        "birth_date": date_array(w.birth),
        "position_type": pick(["worker", "cadre"], w.cadre.astype(int)),
        "employer_uscc": ctx.emp_uscc.take(emp),
        "employer_name": ctx.emp_name.take(emp),
        "employer_confirmed": pa.array(w.confirmed),
        "status": pick(["draft", "submitted"], w.submitted.astype(int)),
        "submitted_at": pa.array(w.sub_us, mask=~w.submitted).view(pa.timestamp("us")),
        "opts_job_residence": pa.array(w.opts),
        "tax_authorized": pa.array(w.tax_auth),
    })


def social_insurance(w: World) -> pa.Table:
    """One row per (type, month) from the type's start to the career end, minus gaps."""
    n = w.n
    start = w.ts.ravel()
    length = np.maximum(np.repeat(w.ce, 5) - start + 1, 0)
    pair = np.repeat(np.arange(n * 5, dtype=np.int32), length)
    offset = np.arange(len(pair), dtype=np.int32) - np.repeat((np.cumsum(length) - length).astype(np.int32), length)
    month = start[pair] + offset
    a = pair // 5
    drop = in_run(month, w.tg_start.ravel()[pair], w.tg_len.ravel()[pair])
    for k in range(w.gap_len.shape[1]):
        drop |= in_run(month, w.gap_start[a, k], w.gap_len[a, k])
    keep = ~drop
    pair, month, a = pair[keep], month[keep], a[keep]
    t = (pair % 5).astype(np.int8)
    back = np.zeros(len(month), bool)
    for k in range(w.bp_len.shape[1]):
        kind = w.bp_type[a, k]
        back |= in_run(month, w.bp_start[a, k], w.bp_len[a, k]) & ((kind < 0) | (kind == t))
    seg = sum((month >= w.jobs_at[a, k]).astype(np.int8) for k in range(3))
    dist = w.ctx.emp_district[w.emp[a, seg]]
    return table("social_insurance", {
        "applicant_id": app_ids(w, a),
        "insurance_type": pick(INSURANCE_TYPES, t),
        "month": date_array(month_first_day(month)),
        "district_code": pick(DISTRICT_CODES, dist),
        "back_paid": pa.array(back),
    })


def certificate_numbers(w: World, a, s, dist, year) -> pa.Array:
    """京(YYYY)X区不动产权第NNNNNNN号."""
    serial = (w.gidx[a] * 7919 + s * 104729) % 10_000_000
    return join("京(", pa.array(year).cast(pa.string()), ")", pick(DISTRICT_NAMES, dist),
                "区不动产权第", numbered("", serial, 7), "号")


def property_claims(w: World) -> pa.Table:
    a, s = np.nonzero(w.pc_exists)
    valid = w.pc_ver[a, s] == VALID
    dist = w.pc_dist[a, s]
    mar = w.pc_mar[a, s]
    return table("property_claims", {
        "claim_id": ids(w, "PC", a, s),
        "applicant_id": app_ids(w, a),
        "residence_kind": pick(["owned", "dormitory"], w.pc_kind[a, s]),
        "owner_relation": pick(["self", "spouse"], w.pc_rel[a, s]),
        "marriage_id": _marriage_ref(w, a, mar),
        "certificate_no": certificate_numbers(w, a, s, dist, year_of(month_first_day(w.pc_cs[a, s]))),
        "district_code": pick(DISTRICT_CODES, dist),
        "claimed_start": date_array(month_first_day(w.pc_cs[a, s])),
        "claimed_end": date_array(month_first_day(w.pc_ce[a, s])),
        "verification": pick(VERIFICATIONS, w.pc_ver[a, s]),
        "registered_on": date_array(np.where(valid, w.pc_reg[a, s], NULL)),
        "certificate_expired_on": date_array(np.where(valid, w.pc_exp[a, s], NULL)),
    })


def _marriage_ref(w: World, a: np.ndarray, slot: np.ndarray) -> pa.Array:
    """marriage_id of marriage `slot` of applicant `a`; slot < 0 -> null."""
    return pc.if_else(pa.array(slot < 0), pa.scalar(None, pa.string()), ids(w, "MA", a, np.maximum(slot, 0)))


def lease_filings(w: World) -> pa.Table:
    a, s = np.nonzero(w.ls_exists)
    valid = w.ls_ver[a, s] == VALID
    filing = (w.gidx[a] * 7 + s) % 10_000_000_000
    return table("lease_filings", {
        "claim_id": ids(w, "LF", a, s),
        "applicant_id": app_ids(w, a),
        "filing_no": join("ZL", pa.array(year_of(month_first_day(w.ls_cs[a, s]))).cast(pa.string()),
                          numbered("", filing, 10)),
        "tenant_relation": pick(["self", "spouse"], w.ls_rel[a, s]),
        "marriage_id": _marriage_ref(w, a, w.ls_mar[a, s]),
        "district_code": pick(DISTRICT_CODES, w.ls_dist[a, s]),
        "claimed_start": date_array(month_first_day(w.ls_cs[a, s])),
        "claimed_end": date_array(month_first_day(w.ls_ce[a, s])),
        "verification": pick(VERIFICATIONS, w.ls_ver[a, s]),
        "contract_start": date_array(np.where(valid, w.ls_cstart[a, s], NULL)),
        "contract_end": date_array(np.where(valid, w.ls_cend[a, s], NULL)),
    })


def marriages(w: World) -> pa.Table:
    a, s = np.nonzero(w.mar_on != NULL)
    spouse_male = ~w.male[a] ^ (w.rng.random(len(a)) < 0.01)
    return table("marriages", {
        "marriage_id": ids(w, "MA", a, s),
        "applicant_id": app_ids(w, a),
        "spouse_id_number": id_numbers(w.spouse_birth[a], spouse_male, w.spouse_serial[a, s]),
        "married_on": date_array(w.mar_on[a, s]),
        "divorced_on": date_array(w.div_on[a, s]),
        "verification": pick(VERIFICATIONS, w.mar_ver[a, s]),
    })


def education(w: World) -> pa.Table:
    a, s = np.nonzero(w.ed_exists)
    return table("education", {
        "record_id": ids(w, "ED", a, s),
        "applicant_id": app_ids(w, a),
        "source": pick(["domestic", "overseas"], w.ed_src[a, s]),
        "education_level": pick(LEVELS, w.ed_level[a, s]),
        "degree": pick(DEGREES, w.ed_degree[a, s]),
        "graduated_on": date_array(w.ed_grad[a, s]),
        "degree_awarded_on": date_array(w.ed_deg_on[a, s]),
        "verification": pick(VERIFICATIONS, w.ed_ver[a, s]),
    })


def tax_payments(w: World) -> pa.Table:
    """One row per year with tax paid; amounts grow over the career."""
    ctx, rng = w.ctx, w.rng
    length = w.tax_last - w.tax_first + 1
    a = np.repeat(np.arange(w.n), length)
    year = w.tax_first[a] + np.arange(len(a)) - np.repeat(np.cumsum(length) - length, length)
    yuan = np.exp(w.tax_mu[a] + 0.05 * (year - ctx.year + 3) + rng.normal(0, 0.3, len(a)))
    yuan = np.where(year == ctx.year, yuan * rng.uniform(0.05, 0.3, len(a)), yuan)
    cents = np.round(yuan * 100).astype(np.int64)
    bonus = np.asarray(ctx.p.tax_bonus_years)
    b = np.clip(year - bonus[0], 0, len(bonus) - 1)
    fixed = np.where(np.isin(year, bonus), w.tax_fix[a, b], -1)
    cents = np.where(fixed >= 0, fixed, cents)
    keep = (fixed != -2) & ~(w.tax_drop[a] & (year == w.tax_drop_year[a]))
    a, year, cents = a[keep], year[keep], cents[keep]
    return table("tax_payments", {
        "applicant_id": app_ids(w, a),
        "tax_year": pa.array(year.astype(np.int32)),
        "iit_paid_cny": decimal_array(cents),
    })


def tax_violations(w: World) -> pa.Table:
    a, s = np.nonzero(w.tv_exists)
    return table("tax_violations", {
        "case_no": ids(w, "TV", a, s), "applicant_id": app_ids(w, a),
        "penalty_date": date_array(w.tv_on[a, s]), "fine_cny": decimal_array(w.tv_cents[a, s]),
    })


def residence_permits(w: World) -> pa.Table:
    a, s = np.nonzero(w.pm_exists)
    return table("residence_permits", {"applicant_id": app_ids(w, a), "issued_on": date_array(w.pm_on[a, s])})


def criminal_records(w: World) -> pa.Table:
    a, s = np.nonzero(w.cr_exists)
    return table("criminal_records", {"case_no": ids(w, "CR", a, s), "applicant_id": app_ids(w, a),
                                      "judgment_date": date_array(w.cr_on[a, s])})


def detentions(w: World) -> pa.Table:
    a, s = np.nonzero(w.dt_exists)
    return table("detentions", {"case_no": ids(w, "DT", a, s), "applicant_id": app_ids(w, a),
                                "detained_on": date_array(w.dt_on[a, s])})


def awards(w: World) -> pa.Table:
    a, s = np.nonzero(w.aw_exists)
    return table("awards", {"claim_id": ids(w, "AW", a, s), "applicant_id": app_ids(w, a),
                            "award_code": pick(w.ctx.award_codes, w.aw_code[a, s]),
                            "verification": pick(VERIFICATIONS, w.aw_ver[a, s])})


def honors(w: World) -> pa.Table:
    a, s = np.nonzero(w.ho_exists)
    return table("honors", {"claim_id": ids(w, "HO", a, s), "applicant_id": app_ids(w, a),
                            "honor_type": pick(HONORS, w.ho_type[a, s]),
                            "verification": pick(VERIFICATIONS, w.ho_ver[a, s])})


SMALL = {"applicants": applicants, "property_claims": property_claims, "lease_filings": lease_filings,
         "marriages": marriages, "education": education, "tax_payments": tax_payments,
         "tax_violations": tax_violations, "residence_permits": residence_permits,
         "criminal_records": criminal_records, "detentions": detentions, "awards": awards,
         "honors": honors}
