-- §4 competition rank of the ranked applicants, the quota cutoff (every tie at
-- the cutoff admitted) and the rank interval of each rank.
with ranked as (
    select
        applicant_id,
        total_units,
        rank() over (order by total_units desc) as rank,
        row_number() over (order by total_units desc) as position
    from scores_base
    where ranked
),

cutoff as (
    select coalesce(max(total_units) filter (where position = getvariable('quota')),
                    min(total_units)) as cutoff_units
    from ranked
),

final as (
    select
        r.applicant_id,
        r.rank::BIGINT as rank,
        i.label as rank_interval,
        r.total_units >= c.cutoff_units as admitted
    from ranked as r
    cross join cutoff as c
    join rank_intervals as i
        on r.rank >= i.rank_from and (i.rank_to is null or r.rank <= i.rank_to)
)

select * from final
