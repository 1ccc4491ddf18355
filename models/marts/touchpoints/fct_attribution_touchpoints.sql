-- One row per opportunity per eligible touchpoint row of a contact of its account (SPEC 5.6):
-- the touchpoint's columns of SPEC 5.5, its positions in the opportunity's journey, the weights
-- of the six attribution models and the revenue each attributes. The weight table and the reading
-- of the spec are in the docs block `attribution_models` (_attribution__docs.md).
{%- set models = attribution_models() %}

with

positions as (
    select * from {{ ref('int_attribution_positions') }}
),

shares as (
    select * from {{ ref('int_attribution_shares') }}
),

opportunities as (
    select * from {{ ref('int_attribution_opportunities') }}
),

touchpoints as (
    select * from {{ ref('fct_touchpoints') }}
),

-- SPEC 5.6: a touch's weight is the sum of the effective shares of the positions it holds, plus
-- its part of Middle's share when it is one of the model's middle touches
-- (the generated weight expressions are laid out by the macro, not by sqlfluff)
-- noqa: disable=LT02
weighted as (
    select
        positions.*,
        {%- for model in models %}
        {{ attribution_touch_weight(model, 'shares_' ~ model.name) | indent(8) }}
            as {{ model.pct_column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from positions
    {%- for model in models %}
    inner join shares as shares_{{ model.name }}
        on positions.opportunity_id = shares_{{ model.name }}.opportunity_id
        and shares_{{ model.name }}.attribution_model = '{{ model.name }}'
    {%- endfor %}
),
-- noqa: enable=LT02

final as (
    select
        weighted.attribution_touchpoint_id,
        opportunities.opportunity_id,
        opportunities.opportunity_name,
        -- the touchpoint (SPEC 5.5)
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
        -- positions in the opportunity's journey (SPEC 5.6)
        {{ join_flags([
            ('weighted.is_first_touch', 'FT'),
            ('weighted.is_lead_creation_touch', 'LC'),
            ('weighted.is_opp_creation_touch', 'OC'),
            ('weighted.is_closed_touch', 'Closed'),
            ('weighted.is_pending_touch', 'Pending'),
            ('weighted.is_middle_touch', 'Middle'),
        ]) | indent(8) }} as touchpoint_position,
        weighted.is_first_touch,
        weighted.is_lead_creation_touch,
        weighted.is_opp_creation_touch,
        weighted.is_closed_touch,
        -- weights (fractions in [0, 1], summing to 1 per opportunity and model)
        -- noqa: disable=LT02
        {%- for model in models %}
        weighted.{{ model.pct_column }},
        {%- endfor %}
        -- revenue = amount x weight
        {%- for model in models %}
        cast(
            cast(opportunities.amount as {{ float_type() }}) * weighted.{{ model.pct_column }}
            as {{ float_type() }}
        ) as {{ model.revenue_column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    -- noqa: enable=LT02
    from weighted
    inner join opportunities
        on weighted.opportunity_id = opportunities.opportunity_id
    inner join touchpoints
        on weighted.touchpoint_id = touchpoints.touchpoint_id
)

select * from final
