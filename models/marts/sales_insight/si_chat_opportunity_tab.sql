-- One row per opportunity and chat activity of a person of its account (docs/rules.md, "Chat
-- activities"): the opportunity panel's chat tab, with the detail columns of docs/rules.md ("Chat
-- activities"). Every (non-deleted)
-- opportunity of an account shows all its people's chat activities, with no time window.
-- Empty when chat data is off (docs/rules.md, "Chat activities").
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

account_chat_activities as (
    select * from chat_activities
    where
        account_id is not null
        and (lead_id is not null or contact_id is not null)
),

final as (
    select
        opportunities.opportunity_id,
        account_chat_activities.chat_activity_id,
        account_chat_activities.person_name,
        account_chat_activities.activity_type,
        account_chat_activities.dialogue_name,
        account_chat_activities.activity_at,
        -- detail columns (docs/rules.md, "Chat activities")
        account_chat_activities.page_url,
        account_chat_activities.status,
        account_chat_activities.agent_name,
        account_chat_activities.scheduled_for,
        account_chat_activities.goal_name,
        account_chat_activities.document_name
    from opportunities
    inner join account_chat_activities
        on opportunities.account_id = account_chat_activities.account_id
    -- docs/rules.md ("Chat activities"): shown only when every prerequisite holds
    where {{ chat_data_shown() }}
)

select * from final
