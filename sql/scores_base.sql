-- §4 total and who is ranked (§2), for every applicant_id of the applicants
-- extract; an applicant whose own row was quarantined keeps a row with no
-- indicators and is never ranked (outputs.md).
with declared as (
    select applicant_id, any_value(status) as status
    from raw_applicants
    where applicant_id is not null
    group by applicant_id
),

issues as (
    select applicant_id, count(*) as data_issue_count
    from violations
    group by applicant_id
),

indicators as (
    select
        a.applicant_id,
        a.status = 'submitted' and a.employer_confirmed and g.eligible and c.complete as ranked,
        g.eligible,
        g.ineligibility_reasons,
        c.complete,
        e.employment_units,
        r.residence_units,
        d.education_units,
        d.education_deduction_units,
        ar.area_units,
        n.innovation_units,
        t.tax_units,
        t.tax_penalty_units,
        ag.age_units,
        h.honors_units,
        l.law_penalty_units
    from stg_applicants as a
    join eligibility as g using (applicant_id)
    join completeness as c using (applicant_id)
    join employment as e using (applicant_id)
    join residence as r using (applicant_id)
    join education as d using (applicant_id)
    join area as ar using (applicant_id)
    join innovation as n using (applicant_id)
    join tax as t using (applicant_id)
    join age as ag using (applicant_id)
    join honors as h using (applicant_id)
    join law as l using (applicant_id)
),

final as (
    select
        x.applicant_id,
        x.status,
        i.eligible,
        i.ineligibility_reasons,
        i.complete,
        coalesce(i.ranked, false) as ranked,
        coalesce(s.data_issue_count, 0)::BIGINT as data_issue_count,
        i.* exclude (applicant_id, ranked, eligible, ineligibility_reasons, complete),
        employment_units + residence_units + education_units + education_deduction_units
            + area_units + innovation_units + tax_units + tax_penalty_units + age_units
            + honors_units + law_penalty_units as total_units
    from declared as x
    left join indicators as i using (applicant_id)
    left join issues as s using (applicant_id)
)

select * from final
