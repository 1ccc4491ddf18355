-- One row per chat activity of a CRM lead (docs/rules.md, "Chat activities"): the lead panel's chat
-- tab, with the detail columns of docs/rules.md ("Chat activities"). Empty when chat data is off
-- (docs/rules.md, "Chat activities").
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

final as (
    select
        chat_activity_id,
        lead_id,
        activity_type,
        dialogue_name,
        activity_at,
        -- detail columns (docs/rules.md, "Chat activities")
        page_url,
        status,
        agent_name,
        scheduled_for,
        goal_name,
        document_name
    from chat_activities
    where
        lead_id is not null
        -- docs/rules.md ("Chat activities"): shown only when every prerequisite holds
        and {{ chat_data_shown() }}
)

select * from final
