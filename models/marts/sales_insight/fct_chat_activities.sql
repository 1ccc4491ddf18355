-- One row per Marketo chat activity (docs/rules.md, "Chat activities"), whatever the Sales Insight
-- switch: linked to the
-- CRM contact (which wins) or lead, its account and the person's name.
with

chat_activities as (
    select * from {{ ref('int_chat_activities') }}
),

final as (
    select
        chat_activity_id,
        activity_id,
        activity_type,
        activity_at,
        marketo_lead_id,
        lead_id,
        contact_id,
        account_id,
        person_name,
        email,
        dialogue_name,
        page_url,
        status,
        agent_name,
        scheduled_for,
        goal_name,
        document_name
    from chat_activities
)

select * from final
