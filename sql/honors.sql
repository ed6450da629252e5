-- §3.8 honours (荣誉表彰): any valid honour scores once, not cumulative.
with honoured as (
    select distinct applicant_id from stg_honors where verification = 'valid'
),

final as (
    select
        a.applicant_id,
        case when h.applicant_id is not null then getvariable('honors_units') else 0 end::BIGINT
            as honors_units
    from stg_applicants as a
    left join honoured as h using (applicant_id)
)

select * from final
