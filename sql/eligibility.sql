-- §1 eligibility (资格条件): every failing rule id, sorted; eligible when none.
with permits as (
    select distinct applicant_id
    from stg_residence_permits
    where issued_on <= getvariable('permit_issued_by')
),

insurance as (
    select
        applicant_id,
        count(*) filter (where bit_count(paid_months & window_months) = bit_count(window_months))
            as continuous_types,
        bit_count(bit_or(back_paid_months) & any_value(window_months)) as back_paid_months
    from (
        select *, month_mask(getvariable('insurance_window_first'),
                             getvariable('insurance_window_last')) as window_months
        from int_insurance_months
    )
    group by applicant_id
),

convicted as (
    select distinct applicant_id from stg_criminal_records
),

people as (
    select
        a.applicant_id,
        -- age in full years on the reference date; the birthday itself counts
        year(getvariable('reference_date')) - year(a.birth_date)
            - case when strftime(getvariable('reference_date'), '%m%d') < strftime(a.birth_date, '%m%d')
                   then 1 else 0 end as age_on_reference,
        case when a.gender = 'male' then getvariable('retirement_age_male')
             when a.position_type = 'cadre' then getvariable('retirement_age_female_cadre')
             else getvariable('retirement_age_female_worker') end as retirement_age,
        p.applicant_id is not null as has_permit,
        coalesce(i.continuous_types, 0) = len(getvariable('insurance_type_order')) as continuous,
        coalesce(i.back_paid_months, 0) as back_paid_months,
        c.applicant_id is not null as convicted
    from stg_applicants as a
    left join permits as p using (applicant_id)
    left join insurance as i using (applicant_id)
    left join convicted as c using (applicant_id)
),

final as (
    select
        applicant_id,
        list_sort(list_filter([
            case when not has_permit then 'no_permit' end,
            case when age_on_reference >= retirement_age then 'over_age' end,
            case when not continuous then 'insurance_gap' end,
            case when back_paid_months > getvariable('max_back_paid_months') then 'too_much_back_pay' end,
            case when convicted then 'criminal_record' end
        ], lambda reason: reason is not null)) as ineligibility_reasons,
        len(ineligibility_reasons) = 0 as eligible
    from people
)

select * from final
