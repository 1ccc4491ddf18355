-- One row per person record (CRM lead or contact) and ISO week with chat activity (docs/rules.md,
-- "Chat activities"): the
-- Insights dashboard's weekly list and smart-grid row. `week_start` is the Monday of the ISO week
-- (UTC), so 2026-12-31 and 2027-01-01 share the week starting 2026-12-28. Empty when chat data
-- is off (docs/rules.md, "Chat activities").
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

person_activities as (
    select
        lead_id,
        contact_id,
        person_name,
        account_id,
        cast({{ dbt.date_trunc('week', 'activity_at') }} as date) as week_start,
        activity_type,
        activity_at
    from chat_activities
    where
        (lead_id is not null or contact_id is not null)
        -- docs/rules.md ("Chat activities"): shown only when every prerequisite holds
        and {{ chat_data_shown() }}
),

final as (
    select
        lead_id,
        contact_id,
        person_name,
        account_id,
        week_start,
        {%- for activity_type in ['Engaged in Dialogue', 'Scheduled Appointment', 'Reached Goal',
            'Interacted with Document'] %}
        count(case when activity_type = '{{ activity_type }}' then 1 end)
            as {{ activity_type | lower | replace(' ', '_') }}_count,
        {%- endfor %}
        count(*) as activity_count,
        max(activity_at) as last_activity_at
    from person_activities
    group by
        lead_id,
        contact_id,
        person_name,
        account_id,
        week_start
)

select * from final
