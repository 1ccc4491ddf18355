-- One row per alternative of each condition of each activity rule (SPEC 4, activity_rules):
-- `rule_id`, `condition_group`, `condition_key`, `field`, `like_pattern`. The operator becomes a
-- case-insensitive `like` pattern built from the value as data (escaped), never SQL text:
-- equals `v`, contains `%v%`, starts_with `v%`, ends_with `%v`; matches_any: one alternative per
-- comma-separated item, `*` in an item meaning anything.
with

rules as (
    select * from {{ ref('activity_rules') }}
),

conditions as (
    select
        cast({{ as_text('rule_id') }} as integer) as rule_id,
        cast({{ as_text('condition_group') }} as integer) as condition_group,
        lower({{ as_text('field') }}) as field,
        lower({{ as_text('operator') }}) as operator,
        -- the value as data, untrimmed: surrounding spaces may be meant
        coalesce(cast(value as {{ text_type() }}), '') as value,
        {{ surrogate_key(['rule_id', 'condition_group', as_text('field'), as_text('operator'),
            'value']) }} as condition_key
    from rules
),

single_patterns as (
    select
        rule_id,
        condition_group,
        condition_key,
        field,
        case operator
            when 'equals' then {{ like_literal('value') }}
            when 'contains' then '%' || {{ like_literal('value') }} || '%'
            when 'starts_with' then {{ like_literal('value') }} || '%'
            when 'ends_with' then '%' || {{ like_literal('value') }}
        end as like_pattern
    from conditions
    where operator != 'matches_any'
),

any_patterns as (
    select
        conditions.rule_id,
        conditions.condition_group,
        conditions.condition_key,
        conditions.field,
        {{ wildcard_to_like(list_item('conditions.value', "','", 'positions.list_position')) }}
            as like_pattern
    from conditions
    inner join {{ list_positions() }} as positions
        on positions.list_position <= {{ list_length('conditions.value', "','") }}
    where conditions.operator = 'matches_any'
),

final as (
    select * from single_patterns
    union all
    select * from any_patterns
    where like_pattern != ''
)

select * from final
