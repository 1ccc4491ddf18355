-- One row per alternative of each non-empty pattern of each channel rule (SPEC 4, channel_rules):
-- `priority`, `field_name`, `like_pattern`. Patterns: `x` equals, `x*` starts with, `*x` ends with,
-- `*x*` contains, `*` anything; alternatives separated by `;`. A rule whose patterns are all empty
-- matches everything and gets one `any` row. Rule values are data: they become `like` patterns
-- with every `%`, `_` and `!` escaped, never SQL text.
with

rules as (
    select * from {{ ref('channel_rules') }}
),

fields as (
    {%- set fields = ['utm_medium', 'utm_source', 'utm_campaign', 'referrer', 'landing_page'] %}
    {%- for field in fields %}
    select
        cast({{ as_text('priority') }} as integer) as priority,
        '{{ field }}' as field_name,
        {{ as_text(field) }} as pattern
    from rules
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

non_empty as (
    select * from fields
    where pattern is not null and pattern != ''
),

alternatives as (
    select
        non_empty.priority,
        non_empty.field_name,
        {{ list_item('non_empty.pattern', "';'", 'positions.list_position') }} as alternative
    from non_empty
    inner join {{ list_positions() }} as positions
        on positions.list_position <= {{ list_length('non_empty.pattern', "';'") }}
),

catch_all as (
    select
        cast({{ as_text('priority') }} as integer) as priority,
        'any' as field_name,
        '*' as alternative
    from rules
    where
        cast({{ as_text('priority') }} as integer)
        not in (select non_empty.priority from non_empty)
),

final as (
    select
        priority,
        field_name,
        {{ wildcard_to_like('alternative') }} as like_pattern
    from alternatives
    where alternative != ''
    union all
    select
        priority,
        field_name,
        {{ wildcard_to_like('alternative') }} as like_pattern
    from catch_all
)

select * from final
