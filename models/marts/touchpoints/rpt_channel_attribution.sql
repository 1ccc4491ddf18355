-- One row per attribution model, channel and subchannel (SPEC 5.6): the opportunities, pipeline
-- and won revenue each model attributes to the channel. Built from fct_attribution_touchpoints
-- alone, so that its totals per model equal the fact's.
{%- set models = attribution_models() %}

with

attribution as (
    select * from {{ ref('fct_attribution_touchpoints') }}
),

opportunities as (
    select * from {{ ref('int_attribution_opportunities') }}
),

attribution_outcomes as (
    select
        attribution.*,
        opportunities.is_won
    from attribution
    inner join opportunities
        on attribution.opportunity_id = opportunities.opportunity_id
),

-- one row per fact row per model
model_weights as (
    {%- for model in models %}
    select
        '{{ model.name }}' as attribution_model,
        channel,
        subchannel,
        opportunity_id,
        is_won,
        {{ model.pct_column }} as weight_pct,
        {{ model.revenue_column }} as revenue
    from attribution_outcomes
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        attribution_model,
        channel,
        subchannel,
        cast(sum(weight_pct) as {{ float_type() }}) as attributed_opportunities,
        cast(
            count(distinct case when weight_pct > 0 then opportunity_id end) as integer
        ) as opportunities_touched,
        cast(coalesce(sum(revenue), 0) as {{ float_type() }}) as attributed_pipeline,
        cast(
            coalesce(sum(case when is_won then revenue end), 0) as {{ float_type() }}
        ) as attributed_won_revenue
    from model_weights
    group by
        attribution_model,
        channel,
        subchannel
)

select * from final
