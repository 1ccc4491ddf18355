-- One row per opportunity with an eligible touch per attribution model (docs/rules.md,
-- "Attribution"): which positions the opportunity's journey holds and the effective share of
-- each position, once the shares of the positions nobody holds are split among the held ones.
{%- set held = {
    'lead_creation': 'has_lead_creation_touch',
    'opportunity_creation': 'has_opp_creation_touch',
    'closed': 'true',
    'middle': 'middle_touches > 0',
} %}

with

positions as (
    select * from {{ ref('int_attribution_positions') }}
),

models as (
    select * from {{ ref('int_attribution_models') }}
),

-- FT and Closed/Pending are always held when the opportunity has an eligible touch
opportunity_positions as (
    select
        opportunity_id,
        max(case when is_lead_creation_touch then 1 else 0 end) = 1 as has_lead_creation_touch,
        max(case when is_opp_creation_touch then 1 else 0 end) = 1 as has_opp_creation_touch,
        sum(
            case when is_middle_until_lead_creation then 1 else 0 end
        ) as middle_touches_until_lead_creation,
        sum(
            case when is_middle_until_opp_creation then 1 else 0 end
        ) as middle_touches_until_opp_creation,
        sum(case when is_middle_until_close then 1 else 0 end) as middle_touches_until_close
    from positions
    group by opportunity_id
),

-- a model's middle touches are those before its own closing milestone; Middle counts as one
-- position, held when the model has middle touches
opportunity_models as (
    select
        opportunity_positions.opportunity_id,
        models.*,
        opportunity_positions.has_lead_creation_touch,
        opportunity_positions.has_opp_creation_touch,
        case models.middle_until
            when 'lead_creation' then opportunity_positions.middle_touches_until_lead_creation
            when 'opp_creation' then opportunity_positions.middle_touches_until_opp_creation
            when 'close' then opportunity_positions.middle_touches_until_close
            else 0
        end as middle_touches
    from opportunity_positions
    cross join models
),

-- the share of a position nobody holds is split equally among the held positions whose share
-- in the model is above zero (the receiving positions)
redistributed as (
    select
        *,
        {{- attribution_redistribution(held) | indent(4) }}
    from opportunity_models
),

effective as (
    select
        *,
        {{- attribution_effective_shares(held) | indent(4) }}
    from redistributed
),

final as (
    select
        opportunity_id,
        attribution_model,
        has_lead_creation_touch,
        has_opp_creation_touch,
        cast(middle_touches as integer) as middle_touches,
        first_touch_share,
        lead_creation_share,
        opp_creation_share,
        closing_share,
        middle_share,
        -- Middle's share is split equally among the model's middle touches
        cast(case
            when middle_touches > 0 then middle_share / middle_touches
            else 0
        end as {{ float_type() }}) as middle_touch_share
    from effective
)

select * from final
