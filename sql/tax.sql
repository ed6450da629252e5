-- §3.6 tax (纳税): a bonus for each high-tax year when tax was paid in every
-- year of the bonus window (only with the applicant's authorisation), and a
-- penalty for each tax violation of the penalty window with a fine at or above
-- the minimum.
with paid as (
    select
        applicant_id,
        count(*) filter (where iit_paid_cny > 0) as years_paid,
        count(*) filter (where iit_paid_cny >= getvariable('tax_bonus_threshold_cny')) as years_high
    from stg_tax_payments
    where list_contains(getvariable('tax_bonus_years'), tax_year)
    group by applicant_id
),

violations as (
    select applicant_id, count(*) as penalised
    from stg_tax_violations
    where list_contains(getvariable('tax_penalty_years'), year(penalty_date))
      and fine_cny >= getvariable('tax_penalty_min_fine_cny')
    group by applicant_id
),

final as (
    select
        a.applicant_id,
        case when a.tax_authorized and p.years_paid = len(getvariable('tax_bonus_years'))
             then least(getvariable('tax_bonus_units_per_year') * p.years_high,
                        getvariable('tax_bonus_cap_units'))
             else 0 end::BIGINT as tax_units,
        (-getvariable('tax_penalty_units') * coalesce(v.penalised, 0))::BIGINT as tax_penalty_units
    from stg_applicants as a
    left join paid as p using (applicant_id)
    left join violations as v using (applicant_id)
)

select * from final
