-- §3.5 innovation and entrepreneurship (创新创业): the best valid award of the
-- year's catalogue, not cumulative, capped.
with best as (
    select w.applicant_id, max(c.points_units) as best_units
    from stg_awards as w
    join award_catalogue as c on c.code = w.award_code
    where w.verification = 'valid'
    group by w.applicant_id
),

final as (
    select
        a.applicant_id,
        least(coalesce(b.best_units, 0), getvariable('innovation_cap_units'))::BIGINT as innovation_units
    from stg_applicants as a
    left join best as b using (applicant_id)
)

select * from final
