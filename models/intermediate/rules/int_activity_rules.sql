-- One row per activity rule (SPEC 4): the attributes every condition row of a rule repeats
-- (`date_field`, `campaign_name`, `tracks_web_chat`). A data test checks they agree across rows.
with

rules as (
    select * from {{ ref('activity_rules') }}
),

final as (
    select
        cast({{ as_text('rule_id') }} as integer) as activity_rule_id,
        min(lower({{ as_text('date_field') }})) as date_field,
        min({{ as_text('campaign_name') }}) as campaign_name,
        max(case when {{ parse_boolean(as_text('tracks_web_chat')) }} then 1 else 0 end) = 1
            as tracks_web_chat
    from rules
    group by cast({{ as_text('rule_id') }} as integer)
)

select * from final
