-- One row per change an admin should make once Web Chat is on (docs/rules.md, "Deduplication"):
-- chat campaigns whose touchpoint end date is empty or later than the enable date, activity rules
-- that track web chat, and, in cutover mode, one `unmatched_chat_touchpoints` finding counting the
-- chat cuts that duplicate no kept Web Chat (chats that count zero times). Empty when
-- web_chat_enabled_at is null.
with

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
),

rules as (
    select * from {{ ref('int_activity_rules') }}
),

suppressions as (
    select * from {{ ref('touchpoint_suppressions') }}
),

{%- set t0 = web_chat_enabled_at() %}

campaign_counts as (
    select
        campaign_id,
        count(*) as suppressed_touchpoints
    from suppressions
    where suppression_reason = 'chat_campaign_after_web_chat_enabled'
    group by campaign_id
),

rule_counts as (
    select
        activity_rule_id,
        count(*) as suppressed_touchpoints
    from suppressions
    where suppression_reason = 'chat_activity_after_web_chat_enabled'
    group by activity_rule_id
),

campaign_findings as (
    select
        'chat_campaign_end_date' as finding_type,
        campaigns.campaign_id,
        cast(null as integer) as activity_rule_id,
        campaigns.touchpoint_end_date as configured_end_date,
        cast({{ t0 }} as date) as recommended_end_date,
        coalesce(campaign_counts.suppressed_touchpoints, 0) as suppressed_touchpoints,
        'Set the touchpoint end date of chat campaign ' || campaigns.campaign_id
        || ' to ' || cast(cast({{ t0 }} as date) as {{ text_type() }})
        || ', the day Web Chat was enabled, so that chats are not counted twice.'
            as recommendation
    from campaigns
    left join campaign_counts
        on campaigns.campaign_id = campaign_counts.campaign_id
    where {{ is_chat_campaign_type('campaigns.campaign_type') }}
        and {{ t0 }} is not null
        and (
            campaigns.touchpoint_end_date is null
            or campaigns.touchpoint_end_date > cast({{ t0 }} as date)
        )
),

rule_findings as (
    select
        'chat_activity_rule' as finding_type,
        cast(null as {{ text_type() }}) as campaign_id,
        rules.activity_rule_id,
        cast(null as date) as configured_end_date,
        cast({{ t0 }} as date) as recommended_end_date,
        coalesce(rule_counts.suppressed_touchpoints, 0) as suppressed_touchpoints,
        'Add the condition CrmTask.CreatedDate < '
        || cast(cast({{ t0 }} as date) as {{ text_type() }})
        || ' to activity rule ' || cast(rules.activity_rule_id as {{ text_type() }})
        || ', which tracks web chat, so that chats are not counted twice.' as recommendation
    from rules
    left join rule_counts
        on rules.activity_rule_id = rule_counts.activity_rule_id
    where rules.tracks_web_chat
        and {{ t0 }} is not null
),

-- chat cuts that duplicate no kept Web Chat; matched mode keeps such candidates instead, so this
-- finding can only appear in cutover mode
unmatched_findings as (
    select
        'unmatched_chat_touchpoints' as finding_type,
        cast(null as {{ text_type() }}) as campaign_id,
        cast(null as integer) as activity_rule_id,
        cast(null as date) as configured_end_date,
        cast(null as date) as recommended_end_date,
        count(*) as suppressed_touchpoints,
        cast(count(*) as {{ text_type() }})
        || ' CRM chat touchpoints were cut although no kept Web Chat of the same person lies'
        || ' within {{ chat_match_window_hours() }} hours of them (typically chats on sites that'
        || ' opted out of chat tracking), so these chats count zero times: set chat_dedup_mode'
        || ' to matched to count each of them once.' as recommendation
    from suppressions
    where
        suppression_reason in (
            'chat_campaign_after_web_chat_enabled', 'chat_activity_after_web_chat_enabled'
        )
        and matched_user_touchpoint_id is null
        and {{ t0 }} is not null
    having count(*) > 0
),

final as (
    select * from campaign_findings
    union all
    select * from rule_findings
    union all
    select * from unmatched_findings
)

select * from final
