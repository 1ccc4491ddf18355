-- One row per day from 2020-01-01 to 2039-12-31: the time spine MetricFlow joins metrics to
-- (see _semantic__models.yml). Built from digits, so that it reads no table and needs no
-- engine-specific series function.
with

digits as (
    select digits.digit
    from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as digits (digit)
),

day_numbers as (
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit as day_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
),

final as (
    select cast(cast('2020-01-01' as date) + day_number as date) as date_day
    from day_numbers
    where day_number < 7305
)

select * from final
