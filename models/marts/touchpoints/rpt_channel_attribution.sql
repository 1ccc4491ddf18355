-- One row per attribution model, channel and subchannel (docs/rules.md, "Attribution"): the
-- opportunities, pipeline and won revenue each model attributes to the channel, aggregated from
-- the long int_attribution_weights, the rows that fct_attribution_touchpoints pivots, so that
-- its totals per model equal the fact's. Money is summed as exact decimals, and so are the
-- weights (taken to 15 decimals): no total depends on the order of summation.
with

weights as (
    select * from {{ ref('int_attribution_weights') }}
),

final as (
    select
        attribution_model,
        channel,
        subchannel,
        cast(
            sum({{ attribution_weight_decimal('weight_pct') }}) as decimal(38, 15)
        ) as attributed_opportunities,
        cast(
            count(distinct case when weight_pct > 0 then opportunity_id end) as integer
        ) as opportunities_touched,
        cast(coalesce(sum(revenue), 0) as decimal(38, 6)) as attributed_pipeline,
        cast(
            coalesce(sum(case when is_won then revenue end), 0) as decimal(38, 6)
        ) as attributed_won_revenue
    from weights
    group by
        attribution_model,
        channel,
        subchannel
)

select * from final
