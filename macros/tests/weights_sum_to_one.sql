{#- Fails on every group (e.g. a person record or an opportunity) where a weight column does not
    sum to 1 within 1e-9. -#}
{% test weights_sum_to_one(model, group_by, weight_columns) %}

with

sums as (
    select
        {{ group_by | join(', ') }},
        {%- for column in weight_columns %}
        sum({{ column }}) as {{ column }}_sum{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
    group by {{ group_by | join(', ') }}
)

select *
from sums
where
    {%- for column in weight_columns %}
    abs({{ column }}_sum - 1) > 1e-9{% if not loop.last %} or{% endif %}
    {%- endfor %}

{% endtest %}
