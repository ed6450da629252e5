-- scores.parquet (outputs.md): every column, in the published order, with
-- display points rounded from each indicator's own units (rules §0).
with final as (
    select
        b.applicant_id,
        b.status,
        b.eligible,
        b.ineligibility_reasons,
        b.complete,
        b.ranked,
        b.data_issue_count,
        b.employment_units,
        points(b.employment_units) as employment_points,
        b.residence_units,
        points(b.residence_units) as residence_points,
        b.education_units,
        points(b.education_units) as education_points,
        b.education_deduction_units,
        points(b.education_deduction_units) as education_deduction_points,
        b.area_units,
        points(b.area_units) as area_points,
        b.innovation_units,
        points(b.innovation_units) as innovation_points,
        b.tax_units,
        points(b.tax_units) as tax_points,
        b.tax_penalty_units,
        points(b.tax_penalty_units) as tax_penalty_points,
        b.age_units,
        points(b.age_units) as age_points,
        b.honors_units,
        points(b.honors_units) as honors_points,
        b.law_penalty_units,
        points(b.law_penalty_units) as law_penalty_points,
        b.total_units,
        points(b.total_units) as total_points,
        r.rank,
        r.rank_interval,
        coalesce(r.admitted, false) as admitted
    from scores_base as b
    left join ranking as r using (applicant_id)
    order by b.applicant_id
)

select * from final
