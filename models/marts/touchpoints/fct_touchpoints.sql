-- One row per touchpoint per person record (docs/rules.md, "Buyer touchpoints"): the columns of
-- int_person_touchpoints that BI reads, and the person-level First Touch, Lead Creation and
-- U-Shaped weights of int_attribution_person_weights, pivoted to one column per model.
{%- set models = attribution_models() | selectattr('is_person_level') | list %}

with

touchpoints as (
    select * from {{ ref('int_person_touchpoints') }}
),

person_weights as (
    select * from {{ ref('int_attribution_person_weights') }}
),

pivoted_weights as (
    select
        touchpoint_id,
        {%- for model in models %}
        {{ attribution_pivot('weight_pct', model) }} as {{ model.pct_column }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from person_weights
    group by touchpoint_id
),

final as (
    select
        touchpoints.touchpoint_id,
        touchpoints.user_touchpoint_id,
        touchpoints.email,
        touchpoints.lead_id,
        touchpoints.contact_id,
        touchpoints.account_id,
        touchpoints.touchpoint_at,
        touchpoints.touchpoint_type,
        touchpoints.touchpoint_source,
        touchpoints.medium,
        touchpoints.channel,
        touchpoints.subchannel,
        touchpoints.marketing_channel_path,
        touchpoints.campaign_id,
        touchpoints.campaign_name,
        touchpoints.landing_page,
        touchpoints.referrer_page,
        touchpoints.form_page,
        touchpoints.session_id,
        touchpoints.visitor_id,
        touchpoints.chat_event_id,
        touchpoints.chat_conversation_id,
        touchpoints.campaign_member_id,
        touchpoints.crm_task_id,
        touchpoints.activity_rule_id,
        touchpoints.touchpoint_position,
        touchpoints.is_first_touch,
        touchpoints.is_lead_creation_touch,
        {%- for model in models %}
        pivoted_weights.{{ model.pct_column }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from touchpoints
    inner join pivoted_weights
        on touchpoints.touchpoint_id = pivoted_weights.touchpoint_id
)

select * from final
