-- One row per attribution model (docs/rules.md, "Attribution"): the weight table, with each
-- position's base share as a fraction. Generated from `attribution_models()`
-- (macros/attribution.sql), the one place where the shares are written; every weight of the
-- project is computed from this table.
{%- set models = attribution_models() %}

with

weight_table as (
    {%- for model in models %}
    select
        {{ loop.index }} as model_order,
        '{{ model.name }}' as attribution_model,
        '{{ model.label }}' as model_label,
        {%- if model.middle_until is none %}
        cast(null as {{ text_type() }}) as middle_until,
        {%- else %}
        '{{ model.middle_until }}' as middle_until,
        {%- endif %}
        {{ model.is_person_level }} as is_person_level,
        {%- for key, stem in attribution_positions() %}
        {{ attribution_share_literal(model.shares[key]) }} as {{ stem }}_base_share
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select * from weight_table
)

select * from final
