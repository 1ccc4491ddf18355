-- One row per opportunity per eligible touchpoint row of a contact of its account (docs/rules.md,
-- "Attribution"): the touchpoint's columns, its positions in the opportunity's journey, and the
-- weight and revenue of each attribution model, pivoted once from the long int_attribution_weights
-- (one column per model). The weight table and the reading of the rules are in the docs block
-- `attribution_models` (_attribution__docs.md).
{%- set models = attribution_models() %}

with

positions as (
    select * from {{ ref('int_attribution_positions') }}
),

weights as (
    select * from {{ ref('int_attribution_weights') }}
),

opportunities as (
    select * from {{ ref('int_attribution_opportunities') }}
),

touchpoints as (
    select * from {{ ref('int_person_touchpoints') }}
),

pivoted_weights as (
    select
        attribution_touchpoint_id,
        {%- for model in models %}
        {{ attribution_pivot('weight_pct', model) }} as {{ model.pct_column }},
        {%- endfor %}
        {%- for model in models %}
        {{ attribution_pivot('revenue', model) }} as {{ model.revenue_column }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from weights
    group by attribution_touchpoint_id
),

final as (
    select
        positions.attribution_touchpoint_id,
        opportunities.opportunity_id,
        opportunities.opportunity_name,
        -- the touchpoint (docs/rules.md, "Buyer touchpoints")
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
        -- positions in the opportunity's journey
        {{ join_flags([
            ('positions.is_first_touch', 'FT'),
            ('positions.is_lead_creation_touch', 'LC'),
            ('positions.is_opp_creation_touch', 'OC'),
            ('positions.is_closed_touch', 'Closed'),
            ('positions.is_pending_touch', 'Pending'),
            ('positions.is_middle_touch', 'Middle'),
        ]) | indent(8) }} as touchpoint_position,
        positions.is_first_touch,
        positions.is_lead_creation_touch,
        positions.is_opp_creation_touch,
        positions.is_closed_touch,
        -- weights (fractions in [0, 1], summing to 1 per opportunity and model)
        {%- for model in models %}
        pivoted_weights.{{ model.pct_column }},
        {%- endfor %}
        -- revenue: amount x weight, exact decimals with 6 decimal places
        {%- for model in models %}
        pivoted_weights.{{ model.revenue_column }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from positions
    inner join pivoted_weights
        on positions.attribution_touchpoint_id = pivoted_weights.attribution_touchpoint_id
    inner join opportunities
        on positions.opportunity_id = opportunities.opportunity_id
    inner join touchpoints
        on positions.touchpoint_id = touchpoints.touchpoint_id
)

select * from final
