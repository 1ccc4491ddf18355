{#- The staging pattern of the rule book, "Bad input and row accounting", shared by every `base_`
    model. -#}

{#- The columns every `base_` model ends with. They read its `checked` CTE: `reject_reason` and
    `raw_text` (the raw values joined by `|`, `raw_row_text()`). `id` and `timestamp` are the typed
    id and the table's own timestamp, and `not_applicable` a condition, all as SQL expressions.
    - `raw_row`: the raw text of a rejected row, what `audit.rejected_rows` shows; null for the
      others, whose raw text only serves as the last tie-break below and is not worth writing (it
      was a fifth of the DuckDB file). An incremental build reads it again from the raw table.
    - `source_row_id`, and `row_key`: the id the duplicate rule groups rows by, '' when missing.
    - `row_outcome`: what became of the raw row: `rejected` (reject_reason set), `duplicate` (an
      exact duplicate or a repeated id: the latest by the table's own timestamp is kept, then the
      row whose raw text sorts last), `not_applicable` (e.g. flagged deleted) or `accepted`. -#}
{% macro row_outcome_columns(id, timestamp=none, not_applicable='false') -%}
    case when reject_reason is not null then raw_text end as raw_row,
    reject_reason,
    {{ id }} as source_row_id,
    coalesce({{ id }}, '') as row_key,
    case
        when reject_reason is not null then 'rejected'
        when row_number() over (
            partition by reject_reason is null, {{ id }}
            order by
                {%- if timestamp %} {{ timestamp }} desc nulls last,{% endif %}
                raw_text desc
        ) > 1 then 'duplicate'
        when {{ not_applicable }} then 'not_applicable'
        else 'accepted'
    end as row_outcome
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
