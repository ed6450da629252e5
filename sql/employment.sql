-- §3 employment base and §3.1 legal stable employment (合法稳定就业).
-- M_t*: the regular months of the insurance type with the most of them, ties
-- to the first type of the year's order [interpretation]; E = |M_t*|.
with months as (
    select * from int_insurance_months
),

chosen as (
    select
        applicant_id,
        first(insurance_type order by bit_count(regular_months) desc,
              list_position(getvariable('insurance_type_order'), insurance_type)) as chosen_type,
        first(regular_months order by bit_count(regular_months) desc,
              list_position(getvariable('insurance_type_order'), insurance_type)) as chosen_months
    from months
    group by applicant_id
),

final as (
    select
        a.applicant_id,
        c.chosen_type,
        coalesce(c.chosen_months, no_months()) as chosen_months,
        bit_count(coalesce(c.chosen_months, no_months()))::BIGINT as employment_months,
        bit_count(coalesce(c.chosen_months, no_months())
                  & month_mask(null, getvariable('period1_last')))::BIGINT as employment_months_p1,
        bit_count(coalesce(c.chosen_months, no_months())
                  & month_mask(getvariable('period2_first'), null))::BIGINT as employment_months_p2,
        employment_months * getvariable('employment_units_per_month') as employment_units
    from stg_applicants as a
    left join chosen as c using (applicant_id)
)

select * from final
