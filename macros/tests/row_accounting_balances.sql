{#- docs/rules.md ("Bad input and row accounting"): every raw row is accepted, rejected, a duplicate
    or not applicable, exactly once. -#}
{% test row_accounting_balances(model) %}

select *
from {{ model }}
where raw_rows != accepted_rows + rejected_rows + duplicate_rows + not_applicable_rows

{% endtest %}
