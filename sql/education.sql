-- §3.3 education (教育背景) and its deduction (取得学历期间的就业与居住积分不累计).
-- Each valid record is read through the year's table; an off-table pair is read
-- both as level-only and as degree-only and the better net wins [interpretation].
with records as (
    select * from stg_education where verification = 'valid'
),

in_table as (
    select r.record_id
    from records as r
    join education_table as t
        on t.level is not distinct from r.education_level
       and t.degree is not distinct from r.degree
),

readings as (
    select
        r.applicant_id,
        r.record_id,
        t.points_units,
        t.deduction_years,
        month_of(case when t.level is not null then r.graduated_on else r.degree_awarded_on end)
            as graduation_month,
        case when t.level is not distinct from r.education_level
              and t.degree is not distinct from r.degree then 0
             when t.level is not null then 1 else 2 end as reading_order
    from records as r
    join education_table as t
        on (t.level is not distinct from r.education_level and t.degree is not distinct from r.degree)
        or (r.record_id not in (select record_id from in_table)
            and ((t.level = r.education_level and t.degree is null)
                 or (t.level is null and t.degree = r.degree)))
),

scored as (
    select
        g.applicant_id,
        g.record_id,
        g.reading_order,
        g.graduation_month <= getvariable('reference_month') as counts,
        month_mask(g.graduation_month - 12 * g.deduction_years + 1, g.graduation_month) as window_months,
        case when counts then g.points_units else 0 end as points_units,
        case when counts then
            getvariable('deduction_employment_units_per_month')
                * bit_count(e.chosen_months & window_months)
            + getvariable('deduction_residence_units_per_month')
                * least(bit_count(window_months & r.residence_month_set), r.residence_months)
        else 0 end as deduction_units
    from readings as g
    join employment as e using (applicant_id)
    join residence as r using (applicant_id)
),

best as (
    select
        applicant_id,
        arg_min({'points': points_units, 'deduction': deduction_units},
                (deduction_units - points_units, -points_units, record_id, reading_order)) as reading
    from scored
    group by applicant_id
),

final as (
    select
        a.applicant_id,
        coalesce(b.reading.points, 0)::BIGINT as education_units,
        (-coalesce(b.reading.deduction, 0))::BIGINT as education_deduction_units
    from stg_applicants as a
    left join best as b using (applicant_id)
)

select * from final
