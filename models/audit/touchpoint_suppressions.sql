-- One row per suppressed touchpoint candidate (docs/rules.md, "Deduplication"), with its reason
-- and, for a chat cut (chat_campaign_after_web_chat_enabled, chat_activity_after_web_chat_enabled),
-- the kept Web Chat it duplicates (null when there is none: a chat that counts zero times). Every
-- candidate is in exactly one of marts.fct_touchpoints and this table.
with

candidates as (
    select * from {{ ref('int_touchpoint_candidates') }}
),

final as (
    select
        user_touchpoint_id,
        touchpoint_type,
        touchpoint_at,
        email,
        lead_id,
        contact_id,
        session_id,
        chat_event_id,
        chat_conversation_id,
        campaign_id,
        campaign_member_id,
        crm_task_id,
        activity_rule_id,
        suppression_reason,
        matched_user_touchpoint_id
    from candidates
    where suppression_reason is not null
)

select * from final
