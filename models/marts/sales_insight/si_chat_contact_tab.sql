-- One row per chat activity of a CRM contact (SPEC 6.3): the contact panel's chat tab, with the
-- detail columns of SPEC 6.2. Empty when chat data is off (SPEC 6.1).
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

final as (
    select
        chat_activity_id,
        contact_id,
        activity_type,
        dialogue_name,
        activity_at,
        -- detail columns (SPEC 6.2)
        page_url,
        status,
        agent_name,
        scheduled_for,
        goal_name,
        document_name
    from chat_activities
    where
        contact_id is not null
        -- SPEC 6.1: shown only when every prerequisite holds
        and {{ chat_data_shown() }}
)

select * from final
