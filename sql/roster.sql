-- §4 publicity roster (公示名单): admitted applicants, by rank then id, with
-- only the published fields (no ID number, no applicant_id).
with final as (
    select
        s.rank,
        a.name,
        strftime(a.birth_date, '%Y-%m') as birth_month,
        a.employer_name,
        s.employment_points,
        s.residence_points,
        s.education_points,
        s.education_deduction_points,
        s.area_points,
        s.innovation_points,
        s.tax_points,
        s.tax_penalty_points,
        s.age_points,
        s.honors_points,
        s.law_penalty_points,
        s.total_points
    from scores as s
    join stg_applicants as a using (applicant_id)
    where s.admitted
    order by s.rank, s.applicant_id
)

select * from final
