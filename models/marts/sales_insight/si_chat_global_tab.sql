-- One row per chat activity of a CRM lead or contact, document interactions left out (SPEC 6.3):
-- the global chat tab. Empty when chat data is off (SPEC 6.1).
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

final as (
    -- exactly the columns of SPEC 6.3 (the activity's key is in fct_chat_activities)
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
        -- SPEC 6.3: three activity types only
        and activity_type in ('Engaged in Dialogue', 'Scheduled Appointment', 'Reached Goal')
        -- SPEC 6.1: shown only when every prerequisite holds
        and {{ chat_data_shown() }}
)

select * from final
