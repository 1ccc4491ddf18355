-- One row per opportunity and chat activity of a person of its account (SPEC 6.3): the
-- opportunity panel's chat tab, with the detail columns of SPEC 6.2. Every (non-deleted)
-- opportunity of an account shows all its people's chat activities, with no time window.
-- Empty when chat data is off (SPEC 6.1).
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
        -- detail columns (SPEC 6.2)
        account_chat_activities.page_url,
        account_chat_activities.status,
        account_chat_activities.agent_name,
        account_chat_activities.scheduled_for,
        account_chat_activities.goal_name,
        account_chat_activities.document_name
    from opportunities
    inner join account_chat_activities
        on opportunities.account_id = account_chat_activities.account_id
    -- SPEC 6.1: shown only when every prerequisite holds
    where {{ chat_data_shown() }}
)

select * from final
