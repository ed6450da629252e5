-- §3.7 age (年龄): full points up to the threshold age, then fewer per year,
-- with a = reference year − birth year.
with final as (
    select
        applicant_id,
        greatest(0,
            getvariable('age_full_units') - getvariable('age_units_per_year_over')
                * greatest(0, getvariable('age_reference_year') - year(birth_date)
                              - getvariable('age_full_max_age'))
        )::BIGINT as age_units
    from stg_applicants
)

select * from final
