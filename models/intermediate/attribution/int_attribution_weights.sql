-- One row per opportunity per eligible touchpoint row per attribution model (docs/rules.md,
-- "Attribution"): the touch's weight in the model and the revenue it attributes. The long form
-- of every opportunity weight: fct_attribution_touchpoints pivots it once, rpt_channel_attribution
-- aggregates it.
with

positions as (
    select * from {{ ref('int_attribution_positions') }}
),

shares as (
    select * from {{ ref('int_attribution_shares') }}
),

models as (
    select * from {{ ref('int_attribution_models') }}
),

opportunities as (
    select * from {{ ref('int_attribution_opportunities') }}
),

-- every touch of the opportunity in every model, with the model's effective shares
touch_models as (
    select
        positions.*,
        shares.attribution_model,
        shares.first_touch_share,
        shares.lead_creation_share,
        shares.opp_creation_share,
        shares.closing_share,
        shares.middle_touch_share,
        -- a model's middle touches are those before its own closing milestone
        case models.middle_until
            when 'lead_creation' then positions.is_middle_until_lead_creation
            when 'opp_creation' then positions.is_middle_until_opp_creation
            when 'close' then positions.is_middle_until_close
            else false
        end as is_model_middle_touch
    from positions
    inner join shares
        on positions.opportunity_id = shares.opportunity_id
    inner join models
        on shares.attribution_model = models.attribution_model
),

-- a touch's weight is the sum of the effective shares of the positions it holds, plus its part
-- of Middle's share when it is one of the model's middle touches
weighted as (
    select
        *,
        {{ attribution_touch_weight({
            'first_touch': 'is_first_touch',
            'lead_creation': 'is_lead_creation_touch',
            'opportunity_creation': 'is_opp_creation_touch',
            'closed': 'is_closed_touch or is_pending_touch',
            'middle': 'is_model_middle_touch',
        }) | indent(4) }} as weight_pct
    from touch_models
),

final as (
    select
        weighted.attribution_touchpoint_id,
        weighted.opportunity_id,
        weighted.touchpoint_id,
        weighted.attribution_model,
        weighted.channel,
        weighted.subchannel,
        opportunities.is_won,
        weighted.weight_pct,
        -- amount x weight, exact decimal with 6 decimals (null when the amount is unknown)
        {{ attribution_revenue('opportunities.amount', 'weighted.weight_pct') | indent(4) }}
            as revenue
    from weighted
    inner join opportunities
        on weighted.opportunity_id = opportunities.opportunity_id
)

select * from final
