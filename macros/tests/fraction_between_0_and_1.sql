{#- Fails on every row whose fraction is null or outside [0, 1]. -#}
{% test fraction_between_0_and_1(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} is null
    or {{ column_name }} < 0
    or {{ column_name }} > 1

{% endtest %}
