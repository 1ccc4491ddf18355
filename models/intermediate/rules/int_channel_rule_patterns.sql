-- One row per alternative of each non-empty pattern of each channel rule (docs/rules.md,
-- "Channels"): `priority`, `field_name`, `like_pattern`. Patterns: `x` equals, `x*` starts with,
-- `*x` ends with, `*x*` contains, `*` anything; alternatives separated by `;` (however many). A
-- rule whose patterns are all empty matches everything and gets one `any` row. Rule values are
-- data: they become `like` patterns with every `%`, `_` and `!` escaped, never SQL text.
with

rules as (
    select * from {{ ref('stg_config__channel_rules') }}
),

fields as (
    {%- set fields = ['utm_medium', 'utm_source', 'utm_campaign', 'referrer', 'landing_page'] %}
    {%- for field in fields %}
    select
        priority,
        '{{ field }}' as field_name,
        {{ field }} as pattern
    from rules
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

non_empty as (
    select * from fields
    where pattern is not null
),

alternatives as (
    {{ split_list_items('non_empty', ['priority', 'field_name'], 'pattern', ';') }}
),

catch_all as (
    select
        priority,
        'any' as field_name,
        '*' as list_item
    from rules
    where priority not in (select non_empty.priority from non_empty)
),

final as (
    select
        priority,
        field_name,
        {{ wildcard_to_like('list_item') }} as like_pattern
    from alternatives
    where list_item != ''
    union all
    select
        priority,
        field_name,
        {{ wildcard_to_like('list_item') }} as like_pattern
    from catch_all
)

select * from final
