-- §2 complete: no pending claim, and no pending marriage that a claim links to
-- (a spouse record no claim links to is never reviewed, so it is ignored).
with pending_claims as (
    select applicant_id from stg_property_claims where verification = 'pending'
    union all select applicant_id from stg_lease_filings where verification = 'pending'
    union all select applicant_id from stg_education where verification = 'pending'
    union all select applicant_id from stg_awards where verification = 'pending'
    union all select applicant_id from stg_honors where verification = 'pending'
),

linked_marriages as (
    select applicant_id, marriage_id from stg_property_claims where marriage_id is not null
    union select applicant_id, marriage_id from stg_lease_filings where marriage_id is not null
),

pending_marriages as (
    select m.applicant_id
    from stg_marriages as m
    join linked_marriages as l using (applicant_id, marriage_id)
    where m.verification = 'pending'
),

incomplete as (
    select distinct applicant_id
    from (select * from pending_claims union all select * from pending_marriages)
),

final as (
    select a.applicant_id, i.applicant_id is null as complete
    from stg_applicants as a
    left join incomplete as i using (applicant_id)
)

select * from final
