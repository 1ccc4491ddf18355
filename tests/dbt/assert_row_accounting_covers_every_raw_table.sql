-- docs/rules.md, "Bad input and row accounting": audit.row_accounting has one row per raw table
-- ("Timestamps and values" lists them) and its rejected counts agree with audit.rejected_rows.
-- Returns the tables that break this.
with

accounting as (
    select * from {{ ref('row_accounting') }}
),

rejections as (
    select
        source_table,
        count(*) as rejected_rows
    from {{ ref('rejected_rows') }}
    group by source_table
),

final as (
    select
        accounting.source_table,
        accounting.rejected_rows,
        rejections.rejected_rows as listed_rejections
    from accounting
    left join rejections
        on accounting.source_table = rejections.source_table
    where accounting.rejected_rows != coalesce(rejections.rejected_rows, 0)
    union all
    select
        'expected {{ raw_table_base_models() | length }} raw tables' as source_table,
        count(*) as rejected_rows,
        null as listed_rejections
    from accounting
    having count(*) != {{ raw_table_base_models() | length }}
)

select * from final
