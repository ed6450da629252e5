-- Month arithmetic shared by every transform (rules §0, "Notation").
-- A month is an integer index year * 12 + month - 1; a set of months is a
-- BIT string over [employment start, reference month], one bit a month,
-- bit 0 = the employment start month (1998-07 in 2026).
create or replace macro month_of(d) as year(d) * 12 + month(d) - 1;

-- The months a..b (inclusive, either may be null = open), clipped to the universe.
create or replace macro clip_first(a) as
    greatest(coalesce(a, getvariable('universe_first')), getvariable('universe_first'));
create or replace macro clip_last(b) as
    least(coalesce(b, getvariable('universe_last')), getvariable('universe_last'));
create or replace macro month_mask(a, b) as (
    case
        when clip_first(a) > clip_last(b) then repeat('0', getvariable('universe_size'))
        else repeat('0', clip_first(a) - getvariable('universe_first'))
            || repeat('1', clip_last(b) - clip_first(a) + 1)
            || repeat('0', getvariable('universe_last') - clip_last(b))
    end
)::BIT;

create or replace macro no_months() as repeat('0', getvariable('universe_size'))::BIT;

-- Does the month set contain month m?
create or replace macro has_month(bits, m) as
    m between getvariable('universe_first') and getvariable('universe_last')
    and get_bit(bits, m - getvariable('universe_first')) = 1;

-- Display points from 1/24 units: 2 decimals, halves away from zero (rules §0).
create or replace macro points(units) as
    (sign(units) * ((abs(units) * 100 + 12) // 24))::DECIMAL(18, 0) * 0.01::DECIMAL(3, 2);

-- First day of month index i: lets filters on DATE columns use Parquet statistics.
create or replace macro month_start(i) as make_date((i // 12)::INTEGER, (i % 12 + 1)::INTEGER, 1);
