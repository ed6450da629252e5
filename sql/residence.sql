-- §3.2 legal stable residence (合法稳定住所).
-- Period 1 (to 2020-07): owned months up to E1, the rest of E1 derived as rented.
-- Period 2 (from 2020-08): owned months up to E2, then filed rental months up to what is left.
with months as (
    select
        e.applicant_id,
        e.chosen_months,
        e.employment_months_p1,
        e.employment_months_p2,
        coalesce(r.owned_months, no_months()) as owned_months,
        coalesce(r.rental_months_p2, no_months()) as rental_months_p2
    from employment as e
    left join int_residence_months as r using (applicant_id)
),

counted as (
    select
        *,
        least(bit_count(owned_months & month_mask(null, getvariable('period1_last'))),
              employment_months_p1)::BIGINT as owned_p1,
        least(bit_count(owned_months & month_mask(getvariable('period2_first'), null)),
              employment_months_p2)::BIGINT as owned_p2
    from months
),

final as (
    select
        applicant_id,
        owned_p1,
        employment_months_p1 - owned_p1 as rented_p1,
        owned_p2,
        least(bit_count(rental_months_p2), employment_months_p2 - owned_p2)::BIGINT as rented_p2,
        owned_p1 + rented_p1 + owned_p2 + rented_p2 as residence_months,
        -- the residence months a degree deduction may hit (§3.3 [interpretation])
        owned_months | rental_months_p2
            | (chosen_months & month_mask(null, getvariable('period1_last'))) as residence_month_set,
        getvariable('owned_units_per_month') * (owned_p1 + owned_p2)
            + getvariable('rented_units_per_month') * (rented_p1 + rented_p2) as residence_units
    from counted
)

select * from final
