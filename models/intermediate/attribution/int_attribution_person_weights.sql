-- One row per touchpoint row of a person record per person-level attribution model
-- (docs/rules.md, "Buyer touchpoints"): First Touch, Lead Creation and U-Shaped over the record's
-- own journey, from the same weight table and arithmetic as the opportunity weights. A person's
-- journey holds FT and, when it has a touch that is not a Web Visit, LC; it has no OC,
-- Closed/Pending or middle touches (every touch before LC is a Web Visit), so the shares of those
-- positions go to FT and LC.
{%- set held = {
    'lead_creation': 'has_lead_creation_touch',
    'opportunity_creation': 'false',
    'closed': 'false',
    'middle': 'false',
} %}

with

touchpoints as (
    select * from {{ ref('int_person_touchpoints') }}
),

models as (
    select * from {{ ref('int_attribution_models') }}
    where is_person_level
),

touch_models as (
    select
        touchpoints.touchpoint_id,
        touchpoints.is_first_touch,
        touchpoints.is_lead_creation_touch,
        touchpoints.has_lead_creation_touch,
        models.*
    from touchpoints
    cross join models
),

redistributed as (
    select
        *,
        {{- attribution_redistribution(held) | indent(4) }}
    from touch_models
),

effective as (
    select
        *,
        {{- attribution_effective_shares(held) | indent(4) }},
        0 as middle_touch_share
    from redistributed
),

final as (
    select
        touchpoint_id,
        attribution_model,
        {{ attribution_touch_weight({
            'first_touch': 'is_first_touch',
            'lead_creation': 'is_lead_creation_touch',
            'opportunity_creation': 'false',
            'closed': 'false',
            'middle': 'false',
        }) | indent(4) }} as weight_pct
    from effective
)

select * from final
