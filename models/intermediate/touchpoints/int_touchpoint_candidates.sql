-- One row per touchpoint candidate of every kind (SPEC 5.2), with the common columns of
-- fct_touchpoints, the inputs of channel mapping (SPEC 5.4), the sort keys of SPEC 5.2 and the
-- suppression reason decided by the kind's own model (null when kept).
with

web_chats as (
    select * from {{ ref('int_web_chat_candidates') }}
),

web_visits as (
    select * from {{ ref('int_web_visit_candidates') }}
),

crm_campaigns as (
    select * from {{ ref('int_crm_campaign_candidates') }}
),

crm_activities as (
    select * from {{ ref('int_crm_activity_candidates') }}
),

{%- set null_text = 'cast(null as ' ~ text_type() ~ ')' %}

unioned as (
    select
        user_touchpoint_id,
        touchpoint_type,
        touchpoint_at,
        email,
        {{ null_text }} as person_type,
        {{ null_text }} as person_id,
        {{ null_text }} as lead_id,
        {{ null_text }} as contact_id,
        session_id as source_id,
        coalesce(utm_source, 'Web Direct') as touchpoint_source,
        utm_medium as medium,
        {{ null_text }} as campaign_id,
        utm_campaign as campaign_name,
        {{ null_text }} as campaign_type,
        landing_page,
        referrer_page,
        {{ null_text }} as form_page,
        session_id,
        visitor_id,
        {{ null_text }} as chat_event_id,
        {{ null_text }} as chat_conversation_id,
        {{ null_text }} as campaign_member_id,
        {{ null_text }} as crm_task_id,
        cast(null as integer) as activity_rule_id,
        utm_source as channel_source,
        referrer_page as channel_referrer,
        suppression_reason
    from web_visits

    union all

    select
        user_touchpoint_id,
        touchpoint_type,
        touchpoint_at,
        email,
        {{ null_text }} as person_type,
        {{ null_text }} as person_id,
        {{ null_text }} as lead_id,
        {{ null_text }} as contact_id,
        chat_event_id as source_id,
        coalesce(utm_source, 'Web Direct') as touchpoint_source,
        utm_medium as medium,
        {{ null_text }} as campaign_id,
        utm_campaign as campaign_name,
        {{ null_text }} as campaign_type,
        landing_page,
        referrer_page,
        form_page,
        session_id,
        visitor_id,
        chat_event_id,
        chat_conversation_id,
        {{ null_text }} as campaign_member_id,
        {{ null_text }} as crm_task_id,
        cast(null as integer) as activity_rule_id,
        utm_source as channel_source,
        referrer_page as channel_referrer,
        suppression_reason
    from web_chats

    union all

    select
        user_touchpoint_id,
        touchpoint_type,
        touchpoint_at,
        {{ null_text }} as email,
        person_type,
        person_id,
        lead_id,
        contact_id,
        campaign_member_id as source_id,
        'CRM Campaign' as touchpoint_source,
        campaign_type as medium,
        campaign_id,
        campaign_name,
        campaign_type,
        {{ null_text }} as landing_page,
        {{ null_text }} as referrer_page,
        {{ null_text }} as form_page,
        {{ null_text }} as session_id,
        {{ null_text }} as visitor_id,
        {{ null_text }} as chat_event_id,
        {{ null_text }} as chat_conversation_id,
        campaign_member_id,
        {{ null_text }} as crm_task_id,
        cast(null as integer) as activity_rule_id,
        {{ null_text }} as channel_source,
        {{ null_text }} as channel_referrer,
        suppression_reason
    from crm_campaigns

    union all

    select
        user_touchpoint_id,
        touchpoint_type,
        touchpoint_at,
        {{ null_text }} as email,
        person_type,
        person_id,
        lead_id,
        contact_id,
        crm_task_id as source_id,
        'CRM Activity' as touchpoint_source,
        task_type as medium,
        {{ null_text }} as campaign_id,
        campaign_name,
        {{ null_text }} as campaign_type,
        {{ null_text }} as landing_page,
        {{ null_text }} as referrer_page,
        {{ null_text }} as form_page,
        {{ null_text }} as session_id,
        {{ null_text }} as visitor_id,
        {{ null_text }} as chat_event_id,
        {{ null_text }} as chat_conversation_id,
        {{ null_text }} as campaign_member_id,
        crm_task_id,
        activity_rule_id,
        {{ null_text }} as channel_source,
        {{ null_text }} as channel_referrer,
        suppression_reason
    from crm_activities
),

final as (
    select
        *,
        -- the order of types when touchpoints tie on time (SPEC 5.2)
        case touchpoint_type
            when 'Web Visit' then 1
            when 'Web Chat' then 2
            when 'CRM Campaign' then 3
            when 'CRM Activity' then 4
        end as touchpoint_type_order,
        -- digital channel mapping inputs (SPEC 5.4); CRM Campaigns map by campaign_type instead
        case
            when touchpoint_type != 'CRM Campaign' then {{ surrogate_key([
                'medium', 'channel_source', 'campaign_name', 'channel_referrer', 'landing_page']) }}
        end as channel_key
    from unioned
)

select * from final
