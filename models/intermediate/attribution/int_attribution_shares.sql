-- One row per opportunity with an eligible touch per attribution model (SPEC 5.6): which
-- positions the opportunity's journey holds and the effective share of each position, once the
-- shares of the positions nobody holds are split among the held ones.
{%- set models = attribution_models() %}

with

positions as (
    select * from {{ ref('int_attribution_positions') }}
),

-- the weight table of SPEC 5.6, one row per model, from `attribution_models()`
model_weights as (
    {%- for model in models %}
    select
        '{{ model.name }}' as attribution_model,
        {%- if model.middle_until is none %}
        cast(null as {{ text_type() }}) as middle_until,
        {%- else %}
        '{{ model.middle_until }}' as middle_until,
        {%- endif %}
        {{ attribution_share_literal(model.shares.first_touch) }} as first_touch_base_share,
        {{ attribution_share_literal(model.shares.lead_creation) }} as lead_creation_base_share,
        {{ attribution_share_literal(model.shares.opportunity_creation) }}
            as opp_creation_base_share,
        {{ attribution_share_literal(model.shares.closed) }} as closing_base_share,
        {{ attribution_share_literal(model.shares.middle) }} as middle_base_share
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
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

-- SPEC 5.6: a model's middle touches are those before its own closing milestone; Middle counts
-- as one position, held when the model has middle touches
opportunity_models as (
    select
        opportunity_positions.opportunity_id,
        model_weights.*,
        opportunity_positions.has_lead_creation_touch,
        opportunity_positions.has_opp_creation_touch,
        case model_weights.middle_until
            when 'lead_creation' then opportunity_positions.middle_touches_until_lead_creation
            when 'opp_creation' then opportunity_positions.middle_touches_until_opp_creation
            when 'close' then opportunity_positions.middle_touches_until_close
            else 0
        end as middle_touches
    from opportunity_positions
    cross join model_weights
),

-- SPEC 5.6: the share of a position nobody holds is split equally among the held positions whose
-- share in the model is above zero (the receiving positions)
redistributed as (
    select
        *,
        case when has_lead_creation_touch then 0 else lead_creation_base_share end
        + case when has_opp_creation_touch then 0 else opp_creation_base_share end
        + case when middle_touches > 0 then 0 else middle_base_share end as unheld_share,
        case when first_touch_base_share > 0 then 1 else 0 end
        + case
            when has_lead_creation_touch and lead_creation_base_share > 0 then 1 else 0
        end
        + case when has_opp_creation_touch and opp_creation_base_share > 0 then 1 else 0 end
        + case when closing_base_share > 0 then 1 else 0 end
        + case when middle_touches > 0 and middle_base_share > 0 then 1 else 0 end
            as receiving_positions
    from opportunity_models
),

-- a receiving position gets its share plus its part of the unheld shares; with no receiving
-- position the whole weight goes to FT
effective as (
    select
        *,
        case
            when receiving_positions = 0 then 1
            when first_touch_base_share > 0
                then first_touch_base_share + unheld_share / receiving_positions
            else 0
        end as first_touch_share,
        case
            when has_lead_creation_touch and lead_creation_base_share > 0
                then lead_creation_base_share + unheld_share / receiving_positions
            else 0
        end as lead_creation_share,
        case
            when has_opp_creation_touch and opp_creation_base_share > 0
                then opp_creation_base_share + unheld_share / receiving_positions
            else 0
        end as opp_creation_share,
        case
            when closing_base_share > 0
                then closing_base_share + unheld_share / receiving_positions
            else 0
        end as closing_share,
        case
            when middle_touches > 0 and middle_base_share > 0
                then middle_base_share + unheld_share / receiving_positions
            else 0
        end as middle_share
    from redistributed
),

final as (
    select
        opportunity_id,
        attribution_model,
        has_lead_creation_touch,
        has_opp_creation_touch,
        cast(middle_touches as integer) as middle_touches,
        cast(first_touch_share as {{ float_type() }}) as first_touch_share,
        cast(lead_creation_share as {{ float_type() }}) as lead_creation_share,
        cast(opp_creation_share as {{ float_type() }}) as opp_creation_share,
        cast(closing_share as {{ float_type() }}) as closing_share,
        cast(middle_share as {{ float_type() }}) as middle_share,
        -- Middle's share is split equally among the model's middle touches
        cast(case
            when middle_touches > 0 then middle_share / middle_touches
            else 0
        end as {{ float_type() }}) as middle_touch_share
    from effective
)

select * from final
