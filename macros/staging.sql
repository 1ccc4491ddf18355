{#- The staging pattern of the rule book, "Bad input and row accounting", shared by every `base_`
    model. -#}

{#- What became of a raw row: `rejected` (reject_reason set), `duplicate` (an exact duplicate or a
    repeated id: the latest by the table's own timestamp is kept, then the row whose raw text sorts
    last), `not_applicable` (e.g. flagged deleted) or `accepted`. Needs the columns `reject_reason`
    and `raw_row`. -#}
{% macro row_outcome(id_column, timestamp_column=none, not_applicable_condition='false') -%}
    case
        when reject_reason is not null then 'rejected'
        when row_number() over (
            partition by reject_reason is null, {{ id_column }}
            order by
                {%- if timestamp_column %} {{ timestamp_column }} desc nulls last,{% endif %}
                raw_row desc
        ) > 1 then 'duplicate'
        when {{ not_applicable_condition }} then 'not_applicable'
        else 'accepted'
    end
{%- endmacro %}

{#- The first failing check's reason, or null. `checks` is a list of (condition, reason) pairs. -#}
{% macro reject_reason(checks) -%}
    case
        {%- for condition, reason in checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- Checks for the usual column kinds, as (condition, reason) pairs for `reject_reason`. -#}
{% macro required_check(column) -%}
    {{ return([(nullif_blank(column) ~ ' is null', 'missing_' ~ column)]) }}
{%- endmacro %}

{#- The checks of parsed columns read `<column>__parsed` (macros/parsing.sql: parsing once). -#}
{% macro timestamp_check(column, required=false) -%}
    {%- set checks = required_check(column) if required else [] -%}
    {%- do checks.append((is_invalid_timestamp(column, column ~ '__parsed'),
        'unparseable_' ~ column)) -%}
    {{ return(checks) }}
{%- endmacro %}

{% macro date_check(column) -%}
    {{ return([(is_invalid_date(column, column ~ '__parsed'), 'unparseable_' ~ column)]) }}
{%- endmacro %}

{% macro boolean_check(column) -%}
    {{ return([(is_invalid_boolean(column), 'unparseable_' ~ column)]) }}
{%- endmacro %}

{% macro number_check(column) -%}
    {{ return([(is_invalid_number(column, column ~ '__parsed'), 'unparseable_' ~ column)]) }}
{%- endmacro %}
