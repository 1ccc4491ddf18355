-- One row per touchpoint candidate of every kind (docs/rules.md, "Touchpoint candidates"), with
-- the common columns of fct_touchpoints, the inputs of channel mapping (docs/rules.md,
-- "Channels"), the sort keys of the touchpoint order, the suppression reason decided by the kind's
-- own model (null when kept) and, for a chat cut, the Web Chat it duplicates.
-- A view: it only stacks the four kinds' tables, and each reader takes a few of its columns (a
-- table cost a write of every candidate's 30 columns in every build; docs/decisions.md).
{{ config(materialized='view') }}
{%- set columns = [
    ('user_touchpoint_id', 'text'), ('touchpoint_type', 'text'), ('touchpoint_at', 'timestamp'),
    ('email', 'text'), ('person_type', 'text'), ('person_id', 'text'), ('lead_id', 'text'),
    ('contact_id', 'text'), ('source_id', 'text'), ('touchpoint_source', 'text'),
    ('medium', 'text'), ('campaign_id', 'text'), ('campaign_name', 'text'),
    ('campaign_type', 'text'), ('landing_page', 'text'), ('referrer_page', 'text'),
    ('form_page', 'text'), ('session_id', 'text'), ('visitor_id', 'text'),
    ('chat_event_id', 'text'), ('chat_conversation_id', 'text'), ('campaign_member_id', 'text'),
    ('crm_task_id', 'text'), ('activity_rule_id', 'integer'), ('channel_source', 'text'),
    ('channel_referrer', 'text'), ('suppression_reason', 'text'),
    ('matched_user_touchpoint_id', 'text'),
] %}
{#- Columns every kind has under the same name; each kind below lists only what it adds. -#}
{%- set common = ['user_touchpoint_id', 'touchpoint_type', 'touchpoint_at', 'suppression_reason'] %}
{#- web touchpoints: utm values and referrer of their session ("Channels", "Buyer touchpoints") -#}
{%- set web = {
    'email': 'email',
    'touchpoint_source': "coalesce(utm_source, 'Web Direct')",
    'medium': 'utm_medium',
    'campaign_name': 'utm_campaign',
    'landing_page': 'landing_page',
    'referrer_page': 'referrer_page',
    'session_id': 'session_id',
    'visitor_id': 'visitor_id',
    'channel_source': 'utm_source',
    'channel_referrer': 'referrer_page',
} %}
{#- CRM touchpoints: the member's or task's record, and the Web Chat a chat cut duplicates -#}
{%- set crm = {
    'person_type': 'person_type',
    'person_id': 'person_id',
    'lead_id': 'lead_id',
    'contact_id': 'contact_id',
    'campaign_name': 'campaign_name',
    'matched_user_touchpoint_id': 'matched_user_touchpoint_id',
} %}

with

web_visits as (
    select * from {{ ref('int_web_visit_candidates') }}
),

web_chats as (
    select * from {{ ref('int_web_chat_candidates') }}
),

crm_campaigns as (
    select * from {{ ref('int_crm_campaign_candidates') }}
),

crm_activities as (
    select * from {{ ref('int_crm_activity_candidates') }}
),

unioned as (
    {{ select_columns(columns, common, web, {'source_id': 'session_id'}) }}
    from web_visits

    union all

    {{ select_columns(columns, common, web, {
        'source_id': 'chat_event_id',
        'form_page': 'form_page',
        'chat_event_id': 'chat_event_id',
        'chat_conversation_id': 'chat_conversation_id',
    }) }}
    from web_chats

    union all

    {{ select_columns(columns, common, crm, {
        'source_id': 'campaign_member_id',
        'touchpoint_source': "'CRM Campaign'",
        'medium': 'campaign_type',
        'campaign_id': 'campaign_id',
        'campaign_type': 'campaign_type',
        'campaign_member_id': 'campaign_member_id',
    }) }}
    from crm_campaigns

    union all

    {{ select_columns(columns, common, crm, {
        'source_id': 'crm_task_id',
        'touchpoint_source': "'CRM Activity'",
        'medium': 'task_type',
        'crm_task_id': 'crm_task_id',
        'activity_rule_id': 'activity_rule_id',
    }) }}
    from crm_activities
),

final as (
    select
        *,
        -- the order of types when touchpoints tie on time ("Touchpoint candidates")
        case touchpoint_type
            when 'Web Visit' then 1
            when 'Web Chat' then 2
            when 'CRM Campaign' then 3
            when 'CRM Activity' then 4
        end as touchpoint_type_order,
        -- digital channel mapping inputs ("Channels"); CRM Campaigns map by campaign_type instead
        case
            when touchpoint_type != 'CRM Campaign' then {{ surrogate_key([
                'medium', 'channel_source', 'campaign_name', 'channel_referrer', 'landing_page']) }}
        end as channel_key
    from unioned
)

select * from final
