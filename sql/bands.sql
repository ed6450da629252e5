-- §4 band table (前6000名区间分数): one row per rank interval, empty ones too.
with final as (
    select
        i.label,
        i.rank_from::BIGINT as rank_from,
        i.rank_to::BIGINT as rank_to,
        count(s.applicant_id)::BIGINT as applicants,
        points(max(s.total_units)) as max_points,
        points(min(s.total_units)) as min_points
    from rank_intervals as i
    left join scores as s on s.rank_interval = i.label
    group by i.position, i.label, i.rank_from, i.rank_to
    order by i.position
)

select * from final
