-- §3.9 law-abiding record (守法记录): a penalty per administrative detention
-- in the window.
with detained as (
    select applicant_id, count(*) as detentions
    from stg_detentions
    where list_contains(getvariable('detention_years'), year(detained_on))
    group by applicant_id
),

final as (
    select
        a.applicant_id,
        (-getvariable('detention_units') * coalesce(d.detentions, 0))::BIGINT as law_penalty_units
    from stg_applicants as a
    left join detained as d using (applicant_id)
)

select * from final
