-- Owned, live-out and filed rental months per applicant (rules §3.2, §3.4).
-- A claim covers [claimed_start, claimed_end] ∩ its registry or contract
-- window ∩ the linked marriage window for spouse claims; a spouse claim whose
-- marriage record is not valid counts as not valid (rules §2).
with valid_marriages as (
    select
        marriage_id,
        applicant_id,
        month_of(married_on) as first_month,
        month_of(divorced_on) as last_month
    from stg_marriages
    where verification = 'valid'
),

homes as (
    select
        p.applicant_id,
        p.residence_kind as kind,
        list_contains(getvariable('central_districts'), p.district_code) as in_centre,
        greatest(month_of(p.claimed_start), month_of(p.registered_on),
                 coalesce(m.first_month, getvariable('universe_first'))) as first_month,
        least(month_of(p.claimed_end),
              coalesce(month_of(p.certificate_expired_on), getvariable('universe_last')),
              coalesce(m.last_month, getvariable('universe_last'))) as last_month
    from stg_property_claims as p
    left join valid_marriages as m
        on m.marriage_id = p.marriage_id and m.applicant_id = p.applicant_id
    where p.verification = 'valid'
      and (p.owner_relation is distinct from 'spouse' or m.marriage_id is not null)
),

leases as (
    select
        l.applicant_id,
        'lease' as kind,
        list_contains(getvariable('central_districts'), l.district_code) as in_centre,
        greatest(month_of(l.claimed_start), month_of(l.contract_start),
                 coalesce(m.first_month, getvariable('universe_first'))) as first_month,
        least(month_of(l.claimed_end), month_of(l.contract_end),
              coalesce(m.last_month, getvariable('universe_last'))) as last_month
    from stg_lease_filings as l
    left join valid_marriages as m
        on m.marriage_id = l.marriage_id and m.applicant_id = l.applicant_id
    where l.verification = 'valid'
      and (l.tenant_relation <> 'spouse' or m.marriage_id is not null)
),

covered as (
    select applicant_id, kind, in_centre, month_mask(first_month, last_month) as months
    from (select * from homes union all select * from leases)
),

per_applicant as (
    select
        applicant_id,
        coalesce(bit_or(months) filter (where kind = 'owned'), no_months()) as owned_months,
        coalesce(bit_or(months) filter (where kind = 'owned' and not in_centre), no_months())
            as owned_outside_centre_months,
        coalesce(bit_or(months) filter (where kind in ('lease', 'dormitory')), no_months())
            as filed_rental_months
    from covered
    group by applicant_id
),

final as (
    select
        applicant_id,
        owned_months,
        owned_outside_centre_months,
        -- L2: period-2 lease and dormitory months, one type per month, owned wins
        filed_rental_months & month_mask(getvariable('period2_first'), null) & ~owned_months
            as rental_months_p2
    from per_applicant
)

select * from final
