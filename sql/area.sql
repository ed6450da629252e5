-- §3.4 job–residence area (职住区域), only for applicants who opted in.
-- From the area start month: live_out = an owned home outside the six central
-- districts; work_out = a pension record paid outside them. Precondition:
-- live_out in the reference month.
with months as (
    select
        a.applicant_id,
        a.opts_job_residence,
        coalesce(r.owned_outside_centre_months, no_months())
            & month_mask(getvariable('area_start'), null) as live_out,
        coalesce(i.outside_centre_months, no_months()) as work_out
    from stg_applicants as a
    left join int_residence_months as r using (applicant_id)
    left join int_insurance_months as i
        on i.applicant_id = a.applicant_id and i.insurance_type = 'pension'
),

counted as (
    select
        applicant_id,
        opts_job_residence and has_month(live_out, getvariable('reference_month')) as qualifies,
        bit_count(live_out & work_out)::BIGINT as both_months,
        bit_count(live_out & ~work_out)::BIGINT as live_only_months
    from months
),

final as (
    select
        applicant_id,
        case when qualifies then least(
            getvariable('area_cap_units'),
            getvariable('area_both_units_per_year') * (both_months // getvariable('area_months_per_year'))
            + getvariable('area_live_only_units_per_year')
                * ((both_months % getvariable('area_months_per_year') + live_only_months)
                   // getvariable('area_months_per_year'))
        ) else 0 end::BIGINT as area_units
    from counted
)

select * from final
