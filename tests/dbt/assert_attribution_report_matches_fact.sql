-- docs/rules.md, "Attribution": the totals of rpt_channel_attribution per model equal the fact's.
-- Money is compared exactly (decimal sums of the same rows), and so are the summed weights, each
-- taken to 15 decimals as the report takes them. The weights of each opportunity sum to 1, so
-- the summed weights of a model equal the number of opportunities, within what the rounding of
-- each weight to 15 decimals and its floating-point error allow: 2e-15 per fact row. Fails on
-- every model whose totals differ.
{%- set models = attribution_models() %}
with

attribution as (
    select * from {{ ref('fct_attribution_touchpoints') }}
),

opportunities as (
    select * from {{ ref('int_attribution_opportunities') }}
),

report as (
    select * from {{ ref('rpt_channel_attribution') }}
),

fact_totals as (
    {%- for model in models %}
    select
        '{{ model.name }}' as attribution_model,
        coalesce(sum(
            {{ attribution_weight_decimal('attribution.' ~ model.pct_column) }}
        ), 0) as attributed_opportunities,
        coalesce(sum(attribution.{{ model.revenue_column }}), 0) as attributed_pipeline,
        coalesce(sum(
            case when opportunities.is_won then attribution.{{ model.revenue_column }} end
        ), 0) as attributed_won_revenue,
        count(distinct attribution.opportunity_id) as opportunities,
        count(*) as fact_rows
    from attribution
    inner join opportunities
        on attribution.opportunity_id = opportunities.opportunity_id
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
),

report_totals as (
    select
        attribution_model,
        sum(attributed_opportunities) as attributed_opportunities,
        sum(attributed_pipeline) as attributed_pipeline,
        sum(attributed_won_revenue) as attributed_won_revenue
    from report
    group by attribution_model
),

compared as (
    select
        fact_totals.attribution_model,
        fact_totals.attributed_opportunities as fact_opportunities,
        report_totals.attributed_opportunities as report_opportunities,
        fact_totals.attributed_pipeline as fact_pipeline,
        report_totals.attributed_pipeline as report_pipeline,
        fact_totals.attributed_won_revenue as fact_won_revenue,
        report_totals.attributed_won_revenue as report_won_revenue,
        fact_totals.opportunities,
        fact_totals.fact_rows
    from fact_totals
    left join report_totals
        on fact_totals.attribution_model = report_totals.attribution_model
)

select *
from compared
where abs(fact_opportunities - opportunities) > fact_rows * 2e-15
    or fact_opportunities != coalesce(report_opportunities, 0)
    or fact_pipeline != coalesce(report_pipeline, 0)
    or fact_won_revenue != coalesce(report_won_revenue, 0)
