-- Months paid, per applicant and insurance type, as month sets over
-- [employment start, reference month] (rules §1, §3). This is the only pass
-- over the big social_insurance extract; every rule downstream reads these bits.
with insurance as (
    select
        applicant_id,
        insurance_type,
        back_paid,
        district_code,
        month_of(month) as month_index
    from stg_social_insurance
    where month between month_start(getvariable('universe_first'))
                    and month_start(getvariable('universe_last'))
),

final as (
    select
        applicant_id,
        insurance_type,
        coalesce(
            bitstring_agg(month_index, getvariable('universe_first'), getvariable('universe_last'))
                filter (where not back_paid),
            no_months()) as regular_months,
        coalesce(
            bitstring_agg(month_index, getvariable('universe_first'), getvariable('universe_last')),
            no_months()) as paid_months,
        coalesce(
            bitstring_agg(month_index, getvariable('universe_first'), getvariable('universe_last'))
                filter (where back_paid),
            no_months()) as back_paid_months,
        coalesce(
            bitstring_agg(month_index, getvariable('universe_first'), getvariable('universe_last'))
                filter (where not list_contains(getvariable('central_districts'), district_code)),
            no_months()) as outside_centre_months
    from insurance
    group by applicant_id, insurance_type
)

select * from final
