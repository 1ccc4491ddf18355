{#- Fails on every row where `column_name` holds a value although `condition` does not hold: a
    column that belongs to one kind of row (e.g. the agent of a Scheduled Appointment) is null on
    every other kind. -#}
{% test null_unless(model, column_name, condition) %}

select *
from {{ model }}
where {{ column_name }} is not null
    and not coalesce({{ condition }}, false)

{% endtest %}
