"""Rule tests: each rule of ../shared/spec/rules.md on tiny hand-built snapshots.

Every test states a handbook fact as a sentence and checks it twice: first
against the reference implementation (`tests/reference.py`), then against the
production pipeline (`jflh.pipeline.run`, nightly mode). So both
implementations are pinned by the handbook, not only by each other.

Snapshots are grouped by topic (one module-scoped snapshot per group, one
pipeline run per group); each applicant of a group is built for one sentence.
Declaration year 2026: R = 2025-12-31, RM = 2025-12, insurance window
2019-01 … 2025-12, tax years 2023–2025, penalty years 2021–2025.

Unless a test says otherwise an applicant is the *baseline*: male, born
1990-06-15 (age 20 points), worker, submitted, employer-confirmed, not opted in
to the area indicator, tax pull not authorised, a permit issued 2020-01-01, all
five insurance types regular 2019-01 … 2025-12 in 朝阳 (110105). Baseline
scores: employment 84 × 6 = 504 units, residence E1 = 19 months (2019-01 …
2020-07) all derived rental = 19 units, age 480 units; total 1003 (41.79).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from builders import applicant, insurance, make_snapshot
from reference import reference_bands, reference_cutoff, reference_scores, to_points

YEAR = 2026
TYPES = ("pension", "medical", "unemployment", "injury", "maternity")
D = Decimal


# --------------------------------------------------------------------------- helpers

def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def month(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01")


def aid_of(i: int) -> str:
    return f"A{i:06d}"


class Snap:
    """Rows of a hand-built snapshot, collected applicant by applicant."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)

    def add(self, **extracts: list[dict]) -> None:
        for name, rows in extracts.items():
            self.rows[name].extend(rows)

    def person(self, i: int, *, history: bool = True, born: str = "1990-06-15",
               gender: str = "male", position: str = "worker", status: str = "submitted",
               confirmed: bool = True, opts_area: bool = False, tax_authorized: bool = False,
               district: str = "110105") -> str:
        """Add an applicant; with `history`, the baseline permit and 84 months of insurance."""
        aid = aid_of(i)
        self.add(applicants=[applicant(
            i, birth_date=day(born), gender=gender, position_type=position, status=status,
            submitted_at=dt.datetime(2026, 3, 1, 9, 30) if status == "submitted" else None,
            employer_confirmed=confirmed, opts_job_residence=opts_area,
            tax_authorized=tax_authorized)])
        if history:
            self.add(social_insurance=insurance(aid, first="2019-01", last="2025-12",
                                                district=district),
                     residence_permits=[permit(aid, "2020-01-01")])
        return aid

    def score(self, root: Path, quota: int | None = None) -> "Scored":
        snapshot = make_snapshot(root / "snapshot", year=YEAR, **self.rows)
        return Scored(snapshot, root / "out", quota)


class Scored:
    """Reference scores at once; the pipeline's scores on first use (once)."""

    def __init__(self, snapshot: Path, out: Path, quota: int | None) -> None:
        self.snapshot, self.out, self.quota = snapshot, out, quota
        self.ref = reference_scores(snapshot, YEAR, quota)
        self.ref_bands = reference_bands(self.ref, YEAR)
        self._prod: tuple[dict, list] | None = None
        self._error: BaseException | None = None

    def _run(self) -> tuple[dict, list]:
        if self._error is not None:
            raise self._error
        if self._prod is None:
            try:
                from jflh.pipeline import run

                kwargs = {} if self.quota is None else {"quota": self.quota}
                run(extracts=self.snapshot, out=self.out, year=YEAR, mode="nightly", **kwargs)
                rows = pq.read_table(self.out / "scores.parquet").to_pylist()
                bands = pq.read_table(self.out / "bands.parquet").to_pylist()
                quarantined = pq.read_table(self.out / "quarantine.parquet").to_pylist()
                assert not quarantined, f"the hand-built snapshot is not clean: {quarantined[:3]}"
                self.manifest = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
                self._prod = ({r["applicant_id"]: r for r in rows}, bands)
            except BaseException as error:  # noqa: BLE001 - re-raised in every test using it
                self._error = error
                raise
        return self._prod

    @property
    def prod(self) -> dict[str, dict]:
        return self._run()[0]

    @property
    def prod_bands(self) -> list[dict]:
        return self._run()[1]


def expect(scored: Scored, aid: str, **columns) -> None:
    """Assert scores.parquet columns of one applicant: reference first, then pipeline."""
    for column, want in columns.items():
        got = scored.ref[aid][column]
        assert got == want, f"reference: {aid}.{column} = {got!r}, handbook says {want!r}"
    prod = scored.prod
    assert aid in prod, f"pipeline: no scores row for {aid}"
    for column, want in columns.items():
        got = prod[aid][column]
        assert got == want, f"pipeline: {aid}.{column} = {got!r}, handbook says {want!r}"
    # and, while at it, every other column of this applicant agrees between the two
    differ = {c: (prod[aid].get(c), v) for c, v in scored.ref[aid].items() if prod[aid].get(c) != v}
    assert not differ, f"{aid}: pipeline and reference disagree (pipeline, reference): {differ}"


def units(name: str, value: int) -> dict:
    """`<name>_units` and its display `<name>_points` (rules §0)."""
    return {f"{name}_units": value, f"{name}_points": to_points(value)}


# --------------------------------------------------------------------------- row builders

def permit(aid: str, issued: str) -> dict:
    return {"applicant_id": aid, "issued_on": day(issued)}


def owned(aid: str, cid: str, first: str, last: str, registered: str | None,
          expired: str | None = None, district: str = "110105", relation: str = "self",
          marriage_id: str | None = None, verification: str = "valid",
          kind: str = "owned") -> dict:
    return {
        "claim_id": cid, "applicant_id": aid, "residence_kind": kind,
        "owner_relation": relation if kind == "owned" else None,
        "marriage_id": marriage_id, "certificate_no": f"京(2020)不动产权第{cid}号",
        "district_code": district, "claimed_start": month(first), "claimed_end": month(last),
        "verification": verification,
        "registered_on": day(registered) if verification == "valid" else None,
        "certificate_expired_on": day(expired) if expired and verification == "valid" else None,
    }


def dormitory(aid: str, cid: str, first: str, last: str, registered: str,
              verification: str = "valid") -> dict:
    return owned(aid, cid, first, last, registered, kind="dormitory", verification=verification)


def lease(aid: str, cid: str, first: str, last: str, contract: tuple[str, str] | None = None,
          relation: str = "self", marriage_id: str | None = None,
          verification: str = "valid") -> dict:
    valid = verification == "valid"
    contract = contract or (first + "-01", last + "-28")
    return {
        "claim_id": cid, "applicant_id": aid, "filing_no": f"ZL{cid}",
        "tenant_relation": relation, "marriage_id": marriage_id, "district_code": "110105",
        "claimed_start": month(first), "claimed_end": month(last), "verification": verification,
        "contract_start": day(contract[0]) if valid else None,
        "contract_end": day(contract[1]) if valid else None,
    }


def marriage(aid: str, mid: str, married: str, divorced: str | None = None,
             verification: str = "valid") -> dict:
    return {"marriage_id": mid, "applicant_id": aid, "spouse_id_number": "110105199003070017",
            "married_on": day(married), "divorced_on": day(divorced) if divorced else None,
            "verification": verification}


def edu(aid: str, rid: str, level: str | None, degree: str | None,
        graduated: str | None = None, awarded: str | None = None,
        verification: str = "valid") -> dict:
    return {"record_id": rid, "applicant_id": aid, "source": "domestic",
            "education_level": level, "degree": degree,
            "graduated_on": day(graduated) if level else None,
            "degree_awarded_on": day(awarded or graduated) if degree else None,
            "verification": verification}


def tax(aid: str, year: int, cny: str) -> dict:
    return {"applicant_id": aid, "tax_year": year, "iit_paid_cny": D(cny)}


def violation(aid: str, case: str, date: str, fine: str) -> dict:
    return {"case_no": case, "applicant_id": aid, "penalty_date": day(date), "fine_cny": D(fine)}


def detention(aid: str, case: str, date: str) -> dict:
    return {"case_no": case, "applicant_id": aid, "detained_on": day(date)}


def award(aid: str, cid: str, code: str, verification: str = "valid") -> dict:
    return {"claim_id": cid, "applicant_id": aid, "award_code": code, "verification": verification}


def honor(aid: str, cid: str, kind: str = "model_worker", verification: str = "valid") -> dict:
    return {"claim_id": cid, "applicant_id": aid, "honor_type": kind, "verification": verification}


def pension_only(aid: str, first: str, last: str, district: str = "110105",
                 back_paid: bool = False) -> list[dict]:
    return insurance(aid, first=first, last=last, types=("pension",), district=district,
                     back_paid=back_paid)


# =========================================================================== §3.1 employment

@pytest.fixture(scope="module")
def employment_cases(tmp_path_factory) -> Scored:
    s = Snap()
    # Handbook table: pension 87, medical 84, injury 86, unemployment 84, maternity 84,
    # plus 4 back-paid pension months (2018-06 … 2018-09) that never count.
    a = s.person(1)
    s.add(social_insurance=pension_only(a, "2018-10", "2018-12")
          + insurance(a, first="2018-11", last="2018-12", types=("injury",))
          + pension_only(a, "2018-06", "2018-09", back_paid=True))
    # Pension 2010-01 … 2016-12 (84) ties medical 2019-01 … 2025-12 (84): pension is chosen,
    # so all 84 months lie in P1 and are derived rental months.
    b = s.person(2, history=False)
    s.add(social_insurance=pension_only(b, "2010-01", "2016-12")
          + insurance(b, first="2019-01", last="2025-12", types=("medical",)))
    # Months outside [1998-07, RM] do not count: 1998-01 … 1998-06 and 2026-01 … 2026-03.
    c = s.person(3, history=False)
    s.add(social_insurance=pension_only(c, "1998-01", "1998-12") + pension_only(c, "2026-01", "2026-03"))
    return s.score(tmp_path_factory.mktemp("employment"))


def test_87_months_of_pension_score_21_75(employment_cases):
    expect(employment_cases, aid_of(1), employment_units=87 * 6,
           employment_points=D("21.75"), eligible=True)


def test_back_paid_months_do_not_count_for_employment(employment_cases):
    # 87, not 91: the four back-paid pension months are excluded.
    expect(employment_cases, aid_of(1), employment_units=522)


def test_equal_month_counts_choose_pension_before_medical(employment_cases):
    expect(employment_cases, aid_of(2), **units("employment", 504), **units("residence", 84))


def test_employment_counts_only_1998_07_to_the_reference_month(employment_cases):
    expect(employment_cases, aid_of(3), **units("employment", 6 * 6), **units("residence", 6))


# =========================================================================== §3.2 residence

@pytest.fixture(scope="module")
def residence_cases(tmp_path_factory) -> Scored:
    s = Snap()
    # Handbook (2023 declaration) replayed with the 2026 reference date: pension only,
    # 2013-02 … 2020-07 (E1 = 90) and 2020-08 … 2022-12 (E2 = 29), nothing since 2023
    # (so these applicants lack the 84-month window and are ineligible; indicators are
    # still computed). Owned home 2013-07 … 2020-09: |O1| = 85, |O2| = 2, no rental.
    a = s.person(1, history=False)
    s.add(social_insurance=pension_only(a, "2013-02", "2022-12"),
          property_claims=[owned(a, "P1", "2013-07", "2020-09", "2013-07-10")])
    # Same, owned home 2012-09 … 2020-09: |O1| = 95, |O2| = 2.
    b = s.person(2, history=False)
    s.add(social_insurance=pension_only(b, "2013-02", "2022-12"),
          property_claims=[owned(b, "P2", "2012-09", "2020-09", "2012-09-01")])
    # Baseline (E1 = 19, E2 = 65) + owned 2024-01 … 2025-12 + lease 2019-01 … 2025-12:
    # L2 = 65 − 24 owned = 41; units 2 × 24 + 41 + 19 = 108.
    c = s.person(3)
    s.add(property_claims=[owned(c, "P3", "2024-01", "2025-12", "2024-01-05")],
          lease_filings=[lease(c, "L3", "2019-01", "2025-12")])
    # Baseline + a lease only before 2020-08: ignored (P1 rent is derived) -> 19.
    d = s.person(4)
    s.add(lease_filings=[lease(d, "L4", "2019-01", "2020-07")])
    # Baseline + an invalid lease: 19.
    e = s.person(5)
    s.add(lease_filings=[lease(e, "L5", "2021-01", "2025-12", verification="invalid")])
    # Baseline + a dormitory 2021-01 … 2021-12: rent2 = 12 -> 31.
    f = s.person(6)
    s.add(property_claims=[dormitory(f, "P6", "2021-01", "2021-12", "2021-01-01")])
    # Baseline + the spouse's lease 2021-01 … 2025-12, married 2022-03-15: 2022-03 … 2025-12
    # = 46 months -> 19 + 46 = 65.
    g = s.person(7)
    s.add(marriages=[marriage(g, "M7", "2022-03-15")],
          lease_filings=[lease(g, "L7", "2021-01", "2025-12", relation="spouse", marriage_id="M7")])
    # Baseline + spouse-owned home 2000-01 … 2025-12, marriage 2021-05-20 … 2023-02-10:
    # O2 = 2021-05 … 2023-02 = 22 months -> 19 + 2 × 22 = 63.
    h = s.person(8)
    s.add(marriages=[marriage(h, "M8", "2021-05-20", "2023-02-10")],
          property_claims=[owned(h, "P8", "2000-01", "2025-12", "2000-01-15", relation="spouse",
                                 marriage_id="M8")])
    # Baseline + spouse-owned home whose marriage record is invalid: earns nothing -> 19.
    k = s.person(9)
    s.add(marriages=[marriage(k, "M9", "2015-05-20", verification="invalid")],
          property_claims=[owned(k, "P9", "2016-01", "2025-12", "2016-01-15", relation="spouse",
                                 marriage_id="M9")])
    # Baseline + owned home claimed 2020-08 … 2025-12 whose certificate expired 2021-06-10:
    # 2020-08 … 2021-06 = 11 months -> 19 + 22 = 41.
    m = s.person(10)
    s.add(property_claims=[owned(m, "P10", "2020-08", "2025-12", "2020-08-01", "2021-06-10")])
    # Baseline + owned home claimed from 2015-01, registered 2020-03-20: O1 = 2020-03 … 2020-07
    # (5), O2 = 65 -> owned1 5, rent1 14, owned2 65: 2 × 70 + 14 = 154.
    n = s.person(11)
    s.add(property_claims=[owned(n, "P11", "2015-01", "2025-12", "2020-03-20")])
    return s.score(tmp_path_factory.mktemp("residence"))


def test_handbook_residence_90_employment_85_owned_months_score_85_owned_and_5_rented(residence_cases):
    # 2 × (85 + 2) + 1 × (5 + 0) = 179 units = 7.458… -> 7.46
    expect(residence_cases, aid_of(1), residence_units=179, residence_points=D("7.46"),
           employment_units=119 * 6)


def test_handbook_residence_95_owned_months_over_90_employment_score_90_owned_and_0_rented(residence_cases):
    # 2 × (90 + 2) + 0 = 184 units -> 7.67
    expect(residence_cases, aid_of(2), residence_units=184, residence_points=D("7.67"))


def test_filed_rental_after_2020_07_counts_except_owned_months(residence_cases):
    expect(residence_cases, aid_of(3), **units("residence", 108))


def test_leases_before_2020_08_are_ignored_because_p1_rent_is_derived(residence_cases):
    expect(residence_cases, aid_of(4), **units("residence", 19))


def test_an_invalid_lease_earns_nothing(residence_cases):
    expect(residence_cases, aid_of(5), **units("residence", 19))


def test_a_dormitory_counts_as_rented_at_0_5_a_year(residence_cases):
    expect(residence_cases, aid_of(6), **units("residence", 31))


def test_a_spouse_lease_counts_from_the_month_of_marriage(residence_cases):
    expect(residence_cases, aid_of(7), **units("residence", 65))


def test_a_spouse_owned_home_counts_only_within_the_marriage_months(residence_cases):
    expect(residence_cases, aid_of(8), **units("residence", 63))


def test_a_spouse_owned_home_with_an_invalid_marriage_record_earns_nothing(residence_cases):
    expect(residence_cases, aid_of(9), **units("residence", 19), complete=True)


def test_an_owned_home_counts_until_the_month_its_certificate_expired(residence_cases):
    expect(residence_cases, aid_of(10), **units("residence", 41))


def test_an_owned_home_counts_from_the_month_it_was_registered(residence_cases):
    expect(residence_cases, aid_of(11), **units("residence", 154))


# =========================================================================== §3.3 education

TABLE = [  # (level, degree, points units, deduction years N) — rules §3.3
    ("associate", None, 252, 3), ("bachelor", None, 252, 3), (None, "bachelor", 252, 3),
    ("bachelor", "bachelor", 360, 4), ("master", None, 360, 4), (None, "master", 360, 4),
    ("master", "master", 624, 3), ("doctor", None, 624, 3), (None, "doctor", 624, 3),
    ("doctor", "doctor", 888, 3),
]


@pytest.fixture(scope="module")
def education_table_cases(tmp_path_factory) -> Scored:
    """One applicant per table row; all five types insured 2010-01 … 2025-12; g = 2015-06.

    The whole 12N-month window is insured and in P1, so the deduction is
    6 × 12N (employment) + 1 × 12N (residence months, all ≤ 2020-07) = 84N units.
    """
    s = Snap()
    for i, (level, degree, _, _) in enumerate(TABLE, start=1):
        a = s.person(i, history=False)
        s.add(social_insurance=insurance(a, first="2010-01", last="2025-12"),
              residence_permits=[permit(a, "2012-01-01")],
              education=[edu(a, f"E{i}", level, degree, "2015-06-30", "2015-06-30")])
    return s.score(tmp_path_factory.mktemp("education_table"))


@pytest.mark.parametrize("row", range(len(TABLE)),
                         ids=[f"{lv or '-'}+{dg or '-'}" for lv, dg, _, _ in TABLE])
def test_each_education_table_row_scores_its_points_minus_its_n_years_of_deduction(
        education_table_cases, row):
    _, _, points, years = TABLE[row]
    expect(education_table_cases, aid_of(row + 1), **units("education", points),
           **units("education_deduction", -84 * years))


@pytest.fixture(scope="module")
def education_cases(tmp_path_factory) -> Scored:
    s = Snap()
    # Bachelor + bachelor graduated 2013-12, insured 2010-01 … (48 months before graduation):
    # deduction 6 × 48 + min(48, residence months) = 336 units = 14 points.
    a = s.person(1, history=False)
    s.add(social_insurance=insurance(a, first="2010-01", last="2025-12"),
          residence_permits=[permit(a, "2012-01-01")],
          education=[edu(a, "Ea1", "bachelor", "bachelor", "2013-12-20")])
    # Off-table master level + bachelor degree, nothing insured before: the master-level
    # reading (15, N = 4, dated 2015-06) beats the bachelor-degree reading (10.5).
    b = s.person(2)
    s.add(education=[edu(b, "Eb2", "master", "bachelor", "2015-06-30", "2012-06-30")])
    # Off-table master level (graduated 2018-06, fully insured 2014-07 … : net 360 − 336 = 24)
    # + bachelor degree awarded 2013-06 (nothing insured before: net 252) -> degree reading.
    c = s.person(3, history=False)
    s.add(social_insurance=insurance(c, first="2014-07", last="2025-12"),
          residence_permits=[permit(c, "2015-01-01")],
          education=[edu(c, "Ec3", "master", "bachelor", "2018-06-30", "2013-06-30")])
    # Master graduated 2026-01-15 (after RM): earns nothing.
    d = s.person(4)
    s.add(education=[edu(d, "Ed4", "master", None, "2026-01-15")])
    # Bachelor + bachelor graduated 2025-12-15, degree 2026-01-10: dated by graduation (≤ RM),
    # scores 15; deduction 6 × 48 (2022-01 … 2025-12 insured), no residence month (P2, no
    # filed or owned home) = 288.
    e = s.person(5)
    s.add(education=[edu(e, "Ee5", "bachelor", "bachelor", "2025-12-15", "2026-01-10")])
    # Degree-only doctor awarded 2026-01-10: after RM, earns nothing.
    f = s.person(6)
    s.add(education=[edu(f, "Ef6", None, "doctor", awarded="2026-01-10")])
    # Two records with equal net 252: bachelor + bachelor (g 2022-06; insured from 2021-01 ->
    # 18 P2 months × 6 = 108, net 252) and bachelor only (g 2020-06, nothing insured, net 252).
    # The higher points win although its record_id is the higher one.
    g = s.person(7, history=False)
    s.add(social_insurance=insurance(g, first="2021-01", last="2025-12"),
          residence_permits=[permit(g, "2021-01-01")],
          education=[edu(g, "Eg9", "bachelor", "bachelor", "2022-06-30"),
                     edu(g, "Eg1", "bachelor", None, "2020-06-30")])
    # Best net wins: bachelor only (net 252) vs master + master with full deduction
    # (g 2015-06, insured 2010-01 …: 624 − 252 = 372).
    h = s.person(8, history=False)
    s.add(social_insurance=insurance(h, first="2010-01", last="2025-12"),
          residence_permits=[permit(h, "2012-01-01")],
          education=[edu(h, "Eh1", "bachelor", None, "2009-06-30"),
                     edu(h, "Eh2", "master", "master", "2015-06-30")])
    # Residence part capped by the residence months scored: owned home 2015-01 … (D = 36 in the
    # window 2016-01 … 2018-12), insured only 2024-01 … 2025-12 (residence months 24):
    # deduction min(36, 24) = 24 units.
    k = s.person(9, history=False)
    s.add(social_insurance=insurance(k, first="2024-01", last="2025-12"),
          property_claims=[owned(k, "P9", "2015-01", "2025-12", "2015-01-01")],
          education=[edu(k, "Ek1", "bachelor", None, "2018-12-31")])
    # Master + master g 2023-06 (window 2020-07 … 2023-06), baseline insurance, owned home
    # 2021-01 …: employment 36 × 6 = 216; D = 2020-07 (insured P1) + 2021-01 … 2023-06 (owned)
    # = 31 -> 247 units (10.29). Residence 2 × 60 + 19 = 139.
    m = s.person(10)
    s.add(property_claims=[owned(m, "P10", "2021-01", "2025-12", "2021-01-01")],
          education=[edu(m, "Em1", "master", "master", "2023-06-30")])
    # Invalid records earn nothing.
    n = s.person(11)
    s.add(education=[edu(n, "En1", "doctor", "doctor", "2015-06-30", verification="invalid")])
    # [interpretation, see the report] Off-table master level + bachelor degree whose two
    # readings tie on net: master level (g 2022-06, insured from 2021-01: 18 P2 months × 6 =
    # 108, net 252) vs bachelor degree (g 2020-06, nothing insured: net 252). Read like the
    # record tie-break of §3.3: the higher points win -> 15 with −4.5.
    o = s.person(12, history=False)
    s.add(social_insurance=insurance(o, first="2021-01", last="2025-12"),
          residence_permits=[permit(o, "2021-01-01")],
          education=[edu(o, "Eo1", "master", "bachelor", "2022-06-30", "2020-06-30")])
    return s.score(tmp_path_factory.mktemp("education"))


def test_an_off_table_pair_whose_readings_tie_on_net_scores_the_reading_with_more_points(
        education_cases):
    expect(education_cases, aid_of(12), **units("education", 360),
           **units("education_deduction", -108))


def test_a_bachelor_graduate_with_48_insured_months_before_graduation_loses_14_points(education_cases):
    expect(education_cases, aid_of(1), **units("education", 360),
           education_deduction_units=-336, education_deduction_points=D("-14.00"))


def test_an_off_table_pair_scores_the_better_reading_master_level(education_cases):
    expect(education_cases, aid_of(2), **units("education", 360), **units("education_deduction", 0))


def test_an_off_table_pair_scores_the_better_reading_by_net_bachelor_degree(education_cases):
    expect(education_cases, aid_of(3), **units("education", 252), **units("education_deduction", 0))


def test_a_graduation_after_the_reference_month_earns_nothing(education_cases):
    expect(education_cases, aid_of(4), **units("education", 0), **units("education_deduction", 0))


def test_a_level_and_degree_pair_is_dated_by_graduation_not_by_the_degree(education_cases):
    expect(education_cases, aid_of(5), **units("education", 360),
           **units("education_deduction", -288))


def test_a_degree_only_record_is_dated_by_the_degree_award(education_cases):
    expect(education_cases, aid_of(6), **units("education", 0), **units("education_deduction", 0))


def test_equal_net_prefers_the_higher_points_before_the_record_id(education_cases):
    expect(education_cases, aid_of(7), **units("education", 360),
           **units("education_deduction", -108))


def test_the_record_with_the_highest_net_is_used(education_cases):
    expect(education_cases, aid_of(8), **units("education", 624),
           **units("education_deduction", -252))


def test_the_residence_deduction_is_capped_by_the_residence_months_scored(education_cases):
    expect(education_cases, aid_of(9), **units("education", 252),
           **units("education_deduction", -24), **units("residence", 48))


def test_the_residence_deduction_counts_owned_months_after_2020_07_and_insured_months_before(
        education_cases):
    expect(education_cases, aid_of(10), **units("education", 624),
           education_deduction_units=-247, education_deduction_points=D("-10.29"),
           **units("residence", 139))


def test_an_invalid_education_record_earns_nothing(education_cases):
    expect(education_cases, aid_of(11), **units("education", 0), **units("education_deduction", 0),
           complete=True)


# =========================================================================== §3.4 area

@pytest.fixture(scope="module")
def area_cases(tmp_path_factory) -> Scored:
    s = Snap()
    out = "110118"  # 密云, outside the six central districts
    # Example 1: lived outside until 2024-12, in 东城 in 2025-12 (RM): 0.
    a = s.person(1, opts_area=True, district=out)
    s.add(property_claims=[owned(a, "P1a", "2018-01", "2024-12", "2017-12-01", district=out),
                           owned(a, "P1b", "2025-01", "2025-12", "2025-01-01", district="110101")])
    # Example 2: lived outside 10 months (2025-03 … 2025-12), working outside: 0.
    b = s.person(2, opts_area=True, district=out)
    s.add(property_claims=[owned(b, "P2", "2025-03", "2025-12", "2025-03-01", district=out)])
    # Example 3: lived and worked outside 60 months (2021-01 … 2025-12): 15, capped at 12.
    c = s.person(3, opts_area=True, district=out)
    s.add(property_claims=[owned(c, "P3", "2021-01", "2025-12", "2020-12-01", district=out)])
    # Example 4: lived outside 42 months (2022-07 … 2025-12); pension paid outside for the
    # last 26 (2023-11 … 2025-12), in 朝阳 before: both 26, live_only 16 -> 6 + 2 = 8.
    d = s.person(4, opts_area=True, history=False)
    s.add(social_insurance=pension_only(d, "2019-01", "2023-10")
          + pension_only(d, "2023-11", "2025-12", district=out)
          + insurance(d, first="2019-01", last="2025-12", types=TYPES[1:]),
          residence_permits=[permit(d, "2020-01-01")],
          property_claims=[owned(d, "P4", "2022-07", "2025-12", "2022-07-01", district=out)])
    # Example 3 without opting in: 0.
    e = s.person(5, opts_area=False, district=out)
    s.add(property_claims=[owned(e, "P5", "2021-01", "2025-12", "2020-12-01", district=out)])
    # Lived outside 12 months, worked in 朝阳: live_only 12 -> 2 points.
    f = s.person(6, opts_area=True)
    s.add(property_claims=[owned(f, "P6", "2025-01", "2025-12", "2024-12-20", district=out)])
    # Spouse-owned home outside, married 2023-01-10: both 36 (2023-01 … 2025-12) -> 9.
    g = s.person(7, opts_area=True, district=out)
    s.add(marriages=[marriage(g, "M7", "2023-01-10")],
          property_claims=[owned(g, "P7", "2010-01", "2025-12", "2010-01-10", district=out,
                                 relation="spouse", marriage_id="M7")])
    return s.score(tmp_path_factory.mktemp("area"))


def test_area_example_1_living_in_the_six_districts_in_the_reference_month_scores_0(area_cases):
    expect(area_cases, aid_of(1), **units("area", 0))


def test_area_example_2_ten_months_outside_scores_0(area_cases):
    expect(area_cases, aid_of(2), **units("area", 0))


def test_area_example_3_sixty_months_living_and_working_outside_is_capped_at_12(area_cases):
    expect(area_cases, aid_of(3), area_units=288, area_points=D("12.00"))


def test_area_example_4_both_26_and_live_only_16_score_8(area_cases):
    expect(area_cases, aid_of(4), area_units=192, area_points=D("8.00"))


def test_area_scores_nothing_without_opting_in(area_cases):
    expect(area_cases, aid_of(5), **units("area", 0))


def test_twelve_months_living_outside_while_working_inside_score_2(area_cases):
    expect(area_cases, aid_of(6), **units("area", 48))


def test_a_spouse_owned_home_outside_counts_within_the_marriage(area_cases):
    expect(area_cases, aid_of(7), **units("area", 216))


# =========================================================================== §3.5–3.9

@pytest.fixture(scope="module")
def bonus_cases(tmp_path_factory) -> Scored:
    s = Snap()
    # innovation: maximum of valid awards (10 and 5) -> 10
    a = s.person(1)
    s.add(awards=[award(a, "W1a", "nsa_2_major"), award(a, "W1b", "bst_major_major")])
    # invalid 12-point award ignored, valid 6 -> 6
    b = s.person(2)
    s.add(awards=[award(b, "W2a", "nsa_1_all", "invalid"), award(b, "W2b", "bst_1_core")])
    # two valid honours: 20, not 40
    c = s.person(3)
    s.add(honors=[honor(c, "H3a"), honor(c, "H3b", "heroic_capital")])
    # invalid honour: 0
    d = s.person(4)
    s.add(honors=[honor(d, "H4", verification="invalid")])
    # tax: 100,000.00 in each of 2023, 2024, 2025 -> 6
    e = s.person(5, tax_authorized=True)
    s.add(tax_payments=[tax(e, y, "100000.00") for y in (2023, 2024, 2025)])
    # tax: 99,999.99 in 2023 -> that year adds nothing: 4
    f = s.person(6, tax_authorized=True)
    s.add(tax_payments=[tax(f, 2023, "99999.99"), tax(f, 2024, "100000.00"),
                        tax(f, 2025, "100000.00")])
    # tax: 2024 missing -> 0
    g = s.person(7, tax_authorized=True)
    s.add(tax_payments=[tax(g, 2023, "200000"), tax(g, 2025, "200000")])
    # tax: not authorised -> 0
    h = s.person(8, tax_authorized=False)
    s.add(tax_payments=[tax(h, y, "200000") for y in (2023, 2024, 2025)])
    # tax: a zero year counts as not paid -> 0
    k = s.person(9, tax_authorized=True)
    s.add(tax_payments=[tax(k, 2023, "0.00"), tax(k, 2024, "200000"), tax(k, 2025, "200000")])
    # tax: 2022 and 2026 are outside Y-3 … Y-1; paid > 0 every year but none ≥ 100,000 -> 0
    m = s.person(10, tax_authorized=True)
    s.add(tax_payments=[tax(m, 2022, "500000"), tax(m, 2026, "500000")]
          + [tax(m, y, "0.01") for y in (2023, 2024, 2025)])
    # tax penalty: fine 49.99 -> 0
    n = s.person(11)
    s.add(tax_violations=[violation(n, "T11", "2024-05-01", "49.99")])
    # tax penalty: fine 50.00 -> −12
    o = s.person(12)
    s.add(tax_violations=[violation(o, "T12", "2024-05-01", "50.00")])
    # tax penalty: 2021-01-01 (Y-5) -> −12
    p = s.person(13)
    s.add(tax_violations=[violation(p, "T13", "2021-01-01", "100")])
    # tax penalty: 2020-12-31 (Y-6) and 2026-01-05 (Y) -> 0
    q = s.person(14)
    s.add(tax_violations=[violation(q, "T14a", "2020-12-31", "100"),
                          violation(q, "T14b", "2026-01-05", "100")])
    # tax penalty: two in the window, tax pull not authorised -> −24
    r = s.person(15)
    s.add(tax_violations=[violation(r, "T15a", "2022-03-01", "1000"),
                          violation(r, "T15b", "2023-03-01", "1000")])
    # detentions: 2021-01-01 -> −30; 2020-12-31 -> 0; 2022 + 2025-12-31 -> −60; 2026 -> 0
    t1, t2, t3, t4 = (s.person(i) for i in (16, 17, 18, 19))
    s.add(detentions=[detention(t1, "D16", "2021-01-01"), detention(t2, "D17", "2020-12-31"),
                      detention(t3, "D18a", "2022-03-03"), detention(t3, "D18b", "2025-12-31"),
                      detention(t4, "D19", "2026-01-02")])
    # honours with a tax bonus and penalties all add into the plain total
    u = s.person(20, tax_authorized=True)
    s.add(honors=[honor(u, "H20")], tax_payments=[tax(u, y, "150000") for y in (2023, 2024, 2025)],
          tax_violations=[violation(u, "T20", "2025-01-01", "60")],
          detentions=[detention(u, "D20", "2025-02-02")])
    return s.score(tmp_path_factory.mktemp("bonus"))


def test_innovation_takes_the_maximum_valid_award_not_the_sum(bonus_cases):
    expect(bonus_cases, aid_of(1), **units("innovation", 240))


def test_an_invalid_award_earns_nothing(bonus_cases):
    expect(bonus_cases, aid_of(2), **units("innovation", 144))


def test_two_honours_score_20_not_40(bonus_cases):
    expect(bonus_cases, aid_of(3), **units("honors", 480))


def test_an_invalid_honour_earns_nothing(bonus_cases):
    expect(bonus_cases, aid_of(4), **units("honors", 0))


def test_100000_yuan_of_tax_in_each_of_three_years_scores_6(bonus_cases):
    expect(bonus_cases, aid_of(5), tax_units=144, tax_points=D("6.00"))


def test_99999_99_yuan_in_one_year_adds_nothing_for_that_year(bonus_cases):
    expect(bonus_cases, aid_of(6), **units("tax", 96))


def test_a_year_without_tax_gives_no_tax_bonus(bonus_cases):
    expect(bonus_cases, aid_of(7), **units("tax", 0))


def test_no_tax_bonus_without_authorising_the_tax_pull(bonus_cases):
    expect(bonus_cases, aid_of(8), **units("tax", 0))


def test_a_year_with_zero_tax_counts_as_a_year_without_tax(bonus_cases):
    expect(bonus_cases, aid_of(9), **units("tax", 0))


def test_tax_outside_the_three_years_is_ignored(bonus_cases):
    expect(bonus_cases, aid_of(10), **units("tax", 0))


def test_a_fine_of_49_99_yuan_is_not_penalised(bonus_cases):
    expect(bonus_cases, aid_of(11), **units("tax_penalty", 0))


def test_a_fine_of_50_yuan_costs_12_points(bonus_cases):
    expect(bonus_cases, aid_of(12), tax_penalty_units=-288, tax_penalty_points=D("-12.00"))


def test_a_tax_penalty_in_y_minus_5_costs_12_points(bonus_cases):
    expect(bonus_cases, aid_of(13), **units("tax_penalty", -288))


def test_tax_penalties_in_y_minus_6_or_in_y_are_not_counted(bonus_cases):
    expect(bonus_cases, aid_of(14), **units("tax_penalty", 0))


def test_each_tax_penalty_counts_even_without_authorising_the_tax_pull(bonus_cases):
    expect(bonus_cases, aid_of(15), **units("tax_penalty", -576))


def test_a_detention_in_y_minus_5_costs_30_points(bonus_cases):
    expect(bonus_cases, aid_of(16), law_penalty_units=-720, law_penalty_points=D("-30.00"))


def test_a_detention_in_y_minus_6_is_not_counted(bonus_cases):
    expect(bonus_cases, aid_of(17), **units("law_penalty", 0))


def test_each_detention_in_the_window_costs_30_points(bonus_cases):
    expect(bonus_cases, aid_of(18), **units("law_penalty", -1440))


def test_a_detention_in_the_declaration_year_is_not_counted(bonus_cases):
    expect(bonus_cases, aid_of(19), **units("law_penalty", 0))


def test_the_total_is_the_plain_sum_with_penalties_negative(bonus_cases):
    # 504 + 19 + 480 (age) + 480 (honours) + 144 (tax) − 288 − 720 = 619
    expect(bonus_cases, aid_of(20), **units("total", 619), **units("honors", 480),
           **units("tax", 144), **units("tax_penalty", -288), **units("law_penalty", -720))


@pytest.fixture(scope="module")
def age_cases(tmp_path_factory) -> Scored:
    s = Snap()
    for i, born in enumerate(["2000-01-01", "1979-12-31", "1979-01-01", "1978-06-01",
                              "1977-06-01", "1976-06-01", "1975-06-01", "1974-12-31",
                              "1968-06-01"], start=1):
        s.person(i, born=born)
    return s.score(tmp_path_factory.mktemp("age"))


@pytest.mark.parametrize("i, points", [(1, 20), (2, 20), (3, 20), (4, 16), (5, 12), (6, 8),
                                       (7, 4), (8, 0), (9, 0)],
                         ids=["2000", "1979-12-31", "1979-01-01", "1978", "1977", "1976",
                              "1975", "1974", "1968"])
def test_2026_age_table_born_1979_or_later_20_then_4_less_a_year(age_cases, i, points):
    expect(age_cases, aid_of(i), **units("age", points * 24))


# =========================================================================== §1 eligibility

@pytest.fixture(scope="module")
def eligibility_cases(tmp_path_factory) -> Scored:
    s = Snap()
    # permits
    a = s.person(1, history=False)
    s.add(social_insurance=insurance(a, first="2019-01", last="2025-12"),
          residence_permits=[permit(a, "2025-12-31")])
    b = s.person(2, history=False)
    s.add(social_insurance=insurance(b, first="2019-01", last="2025-12"),
          residence_permits=[permit(b, "2026-01-01")])
    c = s.person(3, history=False)
    s.add(social_insurance=insurance(c, first="2019-01", last="2025-12"))
    # retirement ages: birthday on R reaches the age
    s.person(4, born="1965-12-31")                                   # male 60 on R
    s.person(5, born="1966-01-01")                                   # male 59
    s.person(6, born="1975-12-31", gender="female")                  # female worker 50 on R
    s.person(7, born="1976-01-01", gender="female")                  # 49
    s.person(8, born="1970-12-31", gender="female", position="cadre")  # female cadre 55 on R
    s.person(9, born="1971-01-01", gender="female", position="cadre")  # 54
    s.person(10, born="1971-01-01", gender="female")                 # female worker 54
    s.person(11, born="1966-01-01", position="cadre")                # male cadre 59
    # insurance continuity: one maternity month (2022-05) missing
    m = s.person(12, history=False)
    s.add(social_insurance=insurance(m, first="2019-01", last="2025-12", types=TYPES[:4])
          + insurance(m, first="2019-01", last="2022-04", types=("maternity",))
          + insurance(m, first="2022-06", last="2025-12", types=("maternity",)),
          residence_permits=[permit(m, "2020-01-01")])
    # a missing month before the window (2018-12) does not matter
    n = s.person(13)
    s.add(social_insurance=insurance(n, first="2018-01", last="2018-11"))
    # a month filled only by a back-paid record is continuous
    o = s.person(14, history=False)
    s.add(social_insurance=insurance(o, first="2019-01", last="2025-12", types=TYPES[1:])
          + pension_only(o, "2019-01", "2022-04")
          + pension_only(o, "2022-05", "2022-05", back_paid=True)
          + pension_only(o, "2022-06", "2025-12"),
          residence_permits=[permit(o, "2020-01-01")])
    # insurance starting 2019-02: the window's first month is missing
    p = s.person(15, history=False)
    s.add(social_insurance=insurance(p, first="2019-02", last="2025-12"),
          residence_permits=[permit(p, "2020-01-01")])
    # back pay: 5 months (2020-01 … 2020-05) vs 6 months (2020-01 … 2020-06)
    for i, last in ((16, "2020-05"), (17, "2020-06")):
        q = s.person(i, history=False)
        nxt = "2020-06" if last == "2020-05" else "2020-07"
        s.add(social_insurance=insurance(q, first="2019-01", last="2025-12", types=TYPES[1:])
              + pension_only(q, "2019-01", "2019-12")
              + pension_only(q, "2020-01", last, back_paid=True)
              + pension_only(q, nxt, "2025-12"),
              residence_permits=[permit(q, "2020-01-01")])
    # back pay counted in distinct months: pension 2020-01 … 03 and medical 2020-03 … 05 = 5
    r = s.person(18, history=False)
    s.add(social_insurance=insurance(r, first="2019-01", last="2025-12", types=TYPES[2:])
          + pension_only(r, "2019-01", "2019-12") + pension_only(r, "2020-04", "2025-12")
          + pension_only(r, "2020-01", "2020-03", back_paid=True)
          + insurance(r, first="2019-01", last="2020-02", types=("medical",))
          + insurance(r, first="2020-03", last="2020-05", types=("medical",), back_paid=True)
          + insurance(r, first="2020-06", last="2025-12", types=("medical",)),
          residence_permits=[permit(r, "2020-01-01")])
    # back pay before the window does not count: 12 back-paid months in 2018
    t = s.person(19)
    s.add(social_insurance=pension_only(t, "2018-01", "2018-12", back_paid=True))
    # criminal record
    u = s.person(20)
    s.add(criminal_records=[{"case_no": "K20", "applicant_id": u, "judgment_date": day("2012-05-05")}])
    # criminal record and no permit: both reasons, sorted
    v = s.person(21, history=False)
    s.add(social_insurance=insurance(v, first="2019-01", last="2025-12"),
          criminal_records=[{"case_no": "K21", "applicant_id": v, "judgment_date": day("2012-05-05")}])
    # one permit too late, one in time
    w = s.person(22, history=False)
    s.add(social_insurance=insurance(w, first="2019-01", last="2025-12"),
          residence_permits=[permit(w, "2026-02-01"), permit(w, "2016-02-01")])
    return s.score(tmp_path_factory.mktemp("eligibility"))


def ok(**more) -> dict:
    return {"eligible": True, "ineligibility_reasons": [], **more}


def fails(*reasons: str, **more) -> dict:
    return {"eligible": False, "ineligibility_reasons": sorted(reasons), "ranked": False,
            "rank": None, "admitted": False, **more}


def test_a_permit_issued_on_the_reference_date_is_in_time(eligibility_cases):
    expect(eligibility_cases, aid_of(1), **ok(ranked=True))


def test_a_permit_issued_the_day_after_the_reference_date_is_too_late(eligibility_cases):
    expect(eligibility_cases, aid_of(2), **fails("no_permit"))


def test_no_permit_at_all_is_ineligible(eligibility_cases):
    expect(eligibility_cases, aid_of(3), **fails("no_permit"))


def test_any_permit_in_time_is_enough(eligibility_cases):
    expect(eligibility_cases, aid_of(22), **ok())


def test_a_man_turning_60_on_the_reference_date_is_over_age(eligibility_cases):
    expect(eligibility_cases, aid_of(4), **fails("over_age"))


def test_a_man_turning_60_the_day_after_is_eligible(eligibility_cases):
    expect(eligibility_cases, aid_of(5), **ok())


def test_a_female_worker_turning_50_on_the_reference_date_is_over_age(eligibility_cases):
    expect(eligibility_cases, aid_of(6), **fails("over_age"))


def test_a_female_worker_aged_49_is_eligible(eligibility_cases):
    expect(eligibility_cases, aid_of(7), **ok())


def test_a_female_cadre_turning_55_on_the_reference_date_is_over_age(eligibility_cases):
    expect(eligibility_cases, aid_of(8), **fails("over_age"))


def test_a_female_cadre_aged_54_is_eligible(eligibility_cases):
    expect(eligibility_cases, aid_of(9), **ok())


def test_a_female_worker_aged_54_is_over_age(eligibility_cases):
    expect(eligibility_cases, aid_of(10), **fails("over_age"))


def test_a_male_cadre_retires_at_60_like_any_man(eligibility_cases):
    expect(eligibility_cases, aid_of(11), **ok())


def test_one_missing_month_of_one_insurance_type_breaks_continuity(eligibility_cases):
    expect(eligibility_cases, aid_of(12), **fails("insurance_gap"))


def test_a_missing_month_before_the_84_month_window_does_not_matter(eligibility_cases):
    expect(eligibility_cases, aid_of(13), **ok())


def test_a_back_paid_record_fills_a_month(eligibility_cases):
    expect(eligibility_cases, aid_of(14), **ok())


def test_insurance_starting_one_month_into_the_window_breaks_continuity(eligibility_cases):
    expect(eligibility_cases, aid_of(15), **fails("insurance_gap"))


def test_5_back_paid_months_are_allowed(eligibility_cases):
    expect(eligibility_cases, aid_of(16), **ok(ranked=True))


def test_6_back_paid_months_are_too_many(eligibility_cases):
    expect(eligibility_cases, aid_of(17), **fails("too_much_back_pay"))


def test_back_paid_months_are_counted_once_across_types(eligibility_cases):
    expect(eligibility_cases, aid_of(18), **ok())


def test_back_pay_before_the_window_does_not_count(eligibility_cases):
    expect(eligibility_cases, aid_of(19), **ok())


def test_a_criminal_record_makes_an_applicant_ineligible_but_indicators_are_computed(
        eligibility_cases):
    expect(eligibility_cases, aid_of(20), **fails("criminal_record"), **units("employment", 504),
           **units("total", 1003))


def test_all_failed_rules_are_reported_sorted(eligibility_cases):
    expect(eligibility_cases, aid_of(21), **fails("criminal_record", "no_permit"))


# =========================================================================== §2 completeness

@pytest.fixture(scope="module")
def completeness_cases(tmp_path_factory) -> Scored:
    s = Snap()
    a = s.person(1)
    s.add(education=[edu(a, "E1", "master", None, "2015-06-30", verification="pending")])
    b = s.person(2)
    s.add(lease_filings=[lease(b, "L2", "2021-01", "2025-12", verification="pending")])
    c = s.person(3)
    s.add(property_claims=[owned(c, "P3", "2021-01", "2025-12", None, verification="pending")])
    d = s.person(4)
    s.add(awards=[award(d, "W4", "nsa_1_all", "pending")])
    e = s.person(5)
    s.add(honors=[honor(e, "H5", verification="pending")])
    # a valid spouse-owned home whose marriage record is still pending
    f = s.person(6)
    s.add(marriages=[marriage(f, "M6", "2015-05-20", verification="pending")],
          property_claims=[owned(f, "P6", "2021-01", "2025-12", "2021-01-01", relation="spouse",
                                 marriage_id="M6")])
    # a pending spouse record with no claim attached is never reviewed: ignored
    g = s.person(7)
    s.add(marriages=[marriage(g, "M7", "2015-05-20", verification="pending")])
    # invalid claims do not make an applicant incomplete
    h = s.person(8)
    s.add(education=[edu(h, "E8", "master", None, "2015-06-30", verification="invalid")],
          awards=[award(h, "W8", "nsa_1_all", "invalid")])
    s.person(9, status="draft")
    s.person(10, confirmed=False)
    s.person(11)
    # a valid spouse lease whose pending marriage makes it incomplete
    k = s.person(12)
    s.add(marriages=[marriage(k, "M12", "2015-05-20", verification="pending")],
          lease_filings=[lease(k, "L12", "2021-01", "2025-12", relation="spouse",
                               marriage_id="M12")])
    # [interpretation, see the report] an invalid spouse-owned claim still links its marriage
    # record, which is then reviewed: while that record is pending the applicant is incomplete.
    q = s.person(13)
    s.add(marriages=[marriage(q, "M13", "2015-05-20", verification="pending")],
          property_claims=[owned(q, "P13", "2021-01", "2025-12", None, relation="spouse",
                                 marriage_id="M13", verification="invalid")])
    return s.score(tmp_path_factory.mktemp("completeness"))


def incomplete(**more) -> dict:
    return {"complete": False, "ranked": False, "rank": None, "rank_interval": None,
            "admitted": False, **more}


def test_a_pending_education_record_makes_the_applicant_incomplete_and_earns_nothing(
        completeness_cases):
    expect(completeness_cases, aid_of(1), **incomplete(eligible=True),
           **units("education", 0), **units("total", 1003))


def test_a_pending_lease_makes_the_applicant_incomplete(completeness_cases):
    expect(completeness_cases, aid_of(2), **incomplete(), **units("residence", 19))


def test_a_pending_property_claim_makes_the_applicant_incomplete(completeness_cases):
    expect(completeness_cases, aid_of(3), **incomplete(), **units("residence", 19))


def test_a_pending_award_makes_the_applicant_incomplete(completeness_cases):
    expect(completeness_cases, aid_of(4), **incomplete(), **units("innovation", 0))


def test_a_pending_honour_makes_the_applicant_incomplete(completeness_cases):
    expect(completeness_cases, aid_of(5), **incomplete(), **units("honors", 0))


def test_a_pending_marriage_linked_to_a_claim_makes_the_applicant_incomplete(completeness_cases):
    # and the claim counts as not valid: residence stays at the baseline
    expect(completeness_cases, aid_of(6), **incomplete(), **units("residence", 19))


def test_a_pending_marriage_linked_to_a_lease_makes_the_applicant_incomplete(completeness_cases):
    expect(completeness_cases, aid_of(12), **incomplete(), **units("residence", 19))


def test_a_pending_marriage_linked_to_an_invalid_claim_still_makes_the_applicant_incomplete(
        completeness_cases):
    expect(completeness_cases, aid_of(13), **incomplete(), **units("residence", 19))


def test_a_pending_marriage_without_a_claim_is_ignored(completeness_cases):
    expect(completeness_cases, aid_of(7), complete=True, ranked=True)


def test_invalid_records_do_not_make_an_applicant_incomplete(completeness_cases):
    expect(completeness_cases, aid_of(8), complete=True, ranked=True, **units("education", 0),
           **units("innovation", 0))


def test_a_draft_application_is_not_ranked(completeness_cases):
    expect(completeness_cases, aid_of(9), status="draft", complete=True, eligible=True,
           ranked=False, rank=None, rank_interval=None, admitted=False, **units("total", 1003))


def test_an_application_not_confirmed_by_the_employer_is_not_ranked(completeness_cases):
    expect(completeness_cases, aid_of(10), complete=True, eligible=True, ranked=False, rank=None,
           admitted=False)


def test_a_submitted_confirmed_eligible_complete_applicant_is_ranked(completeness_cases):
    expect(completeness_cases, aid_of(11), status="submitted", complete=True, eligible=True,
           ranked=True, data_issue_count=0, **units("total", 1003))


# =========================================================================== §4 ranking

def ranking_snapshot() -> Snap:
    """Totals: A1 1483 (honour), A2 1003, A3 1003, A4 715 (tax penalty), A5 draft 1483."""
    s = Snap()
    a1 = s.person(1)
    s.add(honors=[honor(a1, "H1")])
    s.person(2)
    s.person(3)
    a4 = s.person(4)
    s.add(tax_violations=[violation(a4, "T4", "2024-01-01", "100")])
    a5 = s.person(5, status="draft")
    s.add(honors=[honor(a5, "H5")])
    return s


@pytest.fixture(scope="module")
def quota_2(tmp_path_factory) -> Scored:
    return ranking_snapshot().score(tmp_path_factory.mktemp("quota2"), quota=2)


@pytest.fixture(scope="module")
def quota_1(tmp_path_factory) -> Scored:
    return ranking_snapshot().score(tmp_path_factory.mktemp("quota1"), quota=1)


@pytest.fixture(scope="module")
def default_quota(tmp_path_factory) -> Scored:
    return ranking_snapshot().score(tmp_path_factory.mktemp("quota_default"))


def test_equal_totals_share_a_competition_rank(quota_2):
    for i, rank in ((1, 1), (2, 2), (3, 2), (4, 4)):
        expect(quota_2, aid_of(i), rank=rank, rank_interval="1-1000", ranked=True)
    expect(quota_2, aid_of(5), rank=None, rank_interval=None, ranked=False, **units("total", 1483))


def test_all_applicants_tied_at_the_cutoff_are_admitted_beyond_the_quota(quota_2):
    for i, admitted in ((1, True), (2, True), (3, True), (4, False), (5, False)):
        expect(quota_2, aid_of(i), admitted=admitted)


def test_the_cutoff_is_the_total_at_the_quota_position(quota_2):
    assert reference_cutoff(quota_2.ref) == 1003, "reference cutoff"
    quota_2.prod  # noqa: B018 - runs the pipeline
    assert quota_2.manifest["cutoff_units"] == 1003, "manifest.json cutoff_units"


def test_a_quota_of_1_admits_only_the_top_total(quota_1):
    for i, admitted in ((1, True), (2, False), (3, False), (4, False), (5, False)):
        expect(quota_1, aid_of(i), admitted=admitted)


def test_with_fewer_ranked_than_the_quota_every_ranked_applicant_is_admitted(default_quota):
    for i, admitted in ((1, True), (2, True), (3, True), (4, True), (5, False)):
        expect(default_quota, aid_of(i), admitted=admitted)


def band(label: str, rank_from: int, rank_to: int | None, n: int = 0,
         high: str | None = None, low: str | None = None) -> dict:
    return {"label": label, "rank_from": rank_from, "rank_to": rank_to, "applicants": n,
            "max_points": None if high is None else D(high),
            "min_points": None if low is None else D(low)}


EMPTY_BANDS = [
    band("1-1000", 1, 1000), band("1001-2000", 1001, 2000), band("2001-3000", 2001, 3000),
    band("3001-4000", 3001, 4000), band("4001-5000", 4001, 5000), band("5001-6000", 5001, 6000),
    band("6001-10000", 6001, 10000), band("10001-20000", 10001, 20000),
    band("20001-50000", 20001, 50000), band("50001+", 50001, None),
]


def test_the_band_table_has_one_row_per_interval_with_empty_ones_null(quota_2):
    # 1483 / 24 = 61.79, 715 / 24 = 29.79; the quota does not move the intervals
    want = [band("1-1000", 1, 1000, 4, "61.79", "29.79")] + EMPTY_BANDS[1:]
    assert quota_2.ref_bands == want, "reference bands"
    assert quota_2.prod_bands == want, "pipeline bands"


@pytest.fixture(scope="module")
def nobody_ranked(tmp_path_factory) -> Scored:
    s = Snap()
    s.person(1, status="draft")
    s.person(2, history=False)
    return s.score(tmp_path_factory.mktemp("nobody"))


def test_when_nobody_is_ranked_nobody_is_admitted_and_every_band_is_empty(nobody_ranked):
    for i in (1, 2):
        expect(nobody_ranked, aid_of(i), ranked=False, rank=None, admitted=False)
    assert nobody_ranked.ref_bands == EMPTY_BANDS, "reference bands"
    assert reference_cutoff(nobody_ranked.ref) is None, "reference cutoff"
    assert nobody_ranked.prod_bands == EMPTY_BANDS, "pipeline bands"
    assert nobody_ranked.manifest["cutoff_units"] is None, "manifest.json cutoff_units"


# =========================================================================== §0 rounding

@pytest.fixture(scope="module")
def rounding_cases(tmp_path_factory) -> Scored:
    s = Snap()
    # One pension month, 2020-07: employment 6 units, residence 1 unit (derived rental).
    a = s.person(1, history=False)
    s.add(social_insurance=pension_only(a, "2020-07", "2020-07"))
    # Three pension months, 2020-05 … 2020-07: residence 3 units = 0.125.
    b = s.person(2, history=False)
    s.add(social_insurance=pension_only(b, "2020-05", "2020-07"))
    # Insured 2023-12 … 2025-12 (25 months), lease 2023-12 … 2025-12 (rent2 = 25 units),
    # owned home 2018-01 … 2018-03 (inside the education window, not scored as residence),
    # bachelor graduated 2018-06: deduction min(D = 3, 25) = 3 units (−0.125).
    # Total 150 + 25 + 252 − 3 + 480 = 904 = 37.666… -> 37.67, while the displayed parts
    # 6.25 + 1.04 + 10.50 − 0.13 + 20.00 add up to 37.66.
    c = s.person(3, history=False)
    s.add(social_insurance=insurance(c, first="2023-12", last="2025-12"),
          property_claims=[owned(c, "P3", "2018-01", "2018-03", "2017-06-01")],
          lease_filings=[lease(c, "L3", "2023-12", "2025-12", ("2023-12-01", "2025-12-31"))],
          education=[edu(c, "E3", "bachelor", None, "2018-06-30")])
    return s.score(tmp_path_factory.mktemp("rounding"))


def test_1_unit_displays_as_0_04(rounding_cases):
    expect(rounding_cases, aid_of(1), residence_units=1, residence_points=D("0.04"),
           employment_units=6, employment_points=D("0.25"))


def test_3_units_are_0_125_and_display_as_0_13(rounding_cases):
    expect(rounding_cases, aid_of(2), residence_units=3, residence_points=D("0.13"))


def test_minus_3_units_display_as_minus_0_13_halves_away_from_zero(rounding_cases):
    expect(rounding_cases, aid_of(3), education_deduction_units=-3,
           education_deduction_points=D("-0.13"), residence_units=25, residence_points=D("1.04"),
           education_units=252, employment_units=150)


def test_the_total_is_rounded_from_its_own_units_not_summed_from_rounded_parts(rounding_cases):
    expect(rounding_cases, aid_of(3), total_units=904, total_points=D("37.67"))


def test_to_points_rounds_halves_away_from_zero():
    assert [to_points(u) for u in (0, 1, 2, 3, -1, -3, 24, 27, -27, 2001)] == [
        D("0.00"), D("0.04"), D("0.08"), D("0.13"), D("-0.04"), D("-0.13"), D("1.00"),
        D("1.13"), D("-1.13"), D("83.38")]
