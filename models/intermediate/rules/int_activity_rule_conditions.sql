-- One row per alternative of each condition of each activity rule (docs/rules.md, "Configuration"):
-- `rule_id`, `condition_group`, `condition_key`, `field`, `like_pattern`. The operator becomes a
-- case-insensitive `like` pattern built from the value as data (escaped), never SQL text:
-- equals `v`, contains `%v%`, starts_with `v%`, ends_with `%v`; matches_any: one alternative per
-- comma-separated item (however many), `*` in an item meaning anything.
with

rules as (
    select * from {{ ref('stg_config__activity_rules') }}
),

conditions as (
    select
        rule_id,
        condition_group,
        field,
        operator,
        value,
        {{ surrogate_key(['rule_id', 'condition_group', 'field', 'operator', 'value']) }}
            as condition_key
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

any_conditions as (
    select * from conditions
    where operator = 'matches_any'
),

any_items as (
    {{ split_list_items('any_conditions',
        ['rule_id', 'condition_group', 'condition_key', 'field'], 'value', ',') }}
),

any_patterns as (
    select
        rule_id,
        condition_group,
        condition_key,
        field,
        {{ wildcard_to_like('list_item') }} as like_pattern
    from any_items
    where list_item != ''
),

final as (
    select * from single_patterns
    union all
    select * from any_patterns
)

select * from final
