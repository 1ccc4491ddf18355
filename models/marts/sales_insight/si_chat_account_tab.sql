-- One row per chat activity of a person (CRM contact or lead) of an account (docs/rules.md, "Chat
-- activities"): the account panel's chat tab, with the detail columns of docs/rules.md ("Chat
-- activities"). A lead belongs to its matched account (docs/rules.md, "People"). Empty when chat
-- data is off (docs/rules.md, "Chat activities").
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

final as (
    select
        chat_activity_id,
        account_id,
        person_name,
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
        account_id is not null
        and (lead_id is not null or contact_id is not null)
        -- docs/rules.md ("Chat activities"): shown only when every prerequisite holds
        and {{ chat_data_shown() }}
)

select * from final
