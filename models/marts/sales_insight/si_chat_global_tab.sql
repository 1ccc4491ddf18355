-- One row per chat activity of a CRM lead or contact, document interactions left out
-- (docs/rules.md, "Chat activities"): the global chat tab. Empty when chat data is off
-- (docs/rules.md, "Chat activities").
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

final as (
    -- exactly the columns of docs/rules.md ("Chat activities") (the activity's key is in
    -- fct_chat_activities)
    select
        person_name,
        lead_id,
        contact_id,
        account_name,
        activity_type,
        dialogue_name,
        activity_at
    from chat_activities
    where
        (lead_id is not null or contact_id is not null)
        -- docs/rules.md ("Chat activities"): three activity types only
        and activity_type in ('Engaged in Dialogue', 'Scheduled Appointment', 'Reached Goal')
        -- docs/rules.md ("Chat activities"): shown only when every prerequisite holds
        and {{ chat_data_shown() }}
)

select * from final
