-- One row per activity rule (docs/rules.md, "Configuration"): the attributes every condition row
-- of a rule repeats (`date_field`, `campaign_name`, `tracks_web_chat`; the staging model has
-- checked that they agree across the rule's rows).
with

rules as (
    select * from {{ ref('stg_config__activity_rules') }}
),

final as (
    select
        rule_id as activity_rule_id,
        min(date_field) as date_field,
        min(campaign_name) as campaign_name,
        max(case when tracks_web_chat then 1 else 0 end) = 1 as tracks_web_chat
    from rules
    group by rule_id
)

select * from final
