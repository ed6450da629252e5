-- Months paid, per applicant and insurance type, as month sets over
-- [employment start, reference month] (rules §1, §3). This is the only pass
-- over the big social_insurance extract; every rule downstream reads these bits.
-- One bitstring_agg per group (four month sets side by side, one per kind of
-- row) is about three times cheaper than four filtered aggregates.
with insurance as (
    select
        applicant_id,
        insurance_type,
        month_of(month) - getvariable('universe_first')
            + getvariable('universe_size')
              * (2 * back_paid::INTEGER
                 + list_contains(getvariable('central_districts'), district_code)::INTEGER)
            as position
    from stg_social_insurance
    where month between month_start(getvariable('universe_first'))
                    and month_start(getvariable('universe_last'))
),

kinds as (
    -- four segments of universe_size bits: 0 regular outside the centre,
    -- 1 regular in it, 2 back-paid outside, 3 back-paid in it
    select
        applicant_id,
        insurance_type,
        bitstring_agg(position, 0, 4 * getvariable('universe_size') - 1)::VARCHAR as segments
    from insurance
    group by applicant_id, insurance_type
),

split as (
    select
        applicant_id,
        insurance_type,
        substr(segments, 1, getvariable('universe_size'))::BIT as regular_outside,
        substr(segments, 1 + getvariable('universe_size'), getvariable('universe_size'))::BIT as regular_inside,
        substr(segments, 1 + 2 * getvariable('universe_size'), getvariable('universe_size'))::BIT as back_outside,
        substr(segments, 1 + 3 * getvariable('universe_size'), getvariable('universe_size'))::BIT as back_inside
    from kinds
),

final as (
    select
        applicant_id,
        insurance_type,
        regular_outside | regular_inside as regular_months,
        regular_outside | regular_inside | back_outside | back_inside as paid_months,
        back_outside | back_inside as back_paid_months,
        regular_outside | back_outside as outside_centre_months
    from split
)

select * from final
