{#- Validation of the configuration seeds (docs/rules.md, "Configuration"). Each `stg_config__`
    model calls `check_config_seed()` with what a valid row of its seed is, before it types the
    seed: any bad value stops the build with an error that names the seed, the row (counted from 1
    below the header, in file order) and the column, for every bad value found (up to 20).

    `checks`: one mapping per column, in the seed's column order:
      - `column`: the column name;
      - `required`: the value may not be empty;
      - `type`: `integer` (optionally signed digits, at most 9), `boolean` (`true`/`false` in any
        case, `1`/`0`), or `text` (default);
      - `values`: the accepted values (compared trimmed and lower-cased).
    `unique_key`: the columns that identify a row; a later row with the same values (compared as
    trimmed text) is an error.
    `same_within`: a mapping from a grouping column to the columns every row of a group must repeat
    (compared as validated: trimmed, lower-cased for `values`, parsed for `boolean`). -#}
{% macro check_config_seed(seed_name, checks, unique_key=[], same_within={}) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set seed_relation = ref(seed_name) -%}
    {%- if adapter.get_relation(seed_relation.database, seed_relation.schema,
            seed_relation.identifier) is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set problems = run_query(config_seed_problems_sql(seed_relation, checks, unique_key,
        same_within)) -%}
    {%- if problems.rows | length > 0 -%}
        {%- set lines = [] -%}
        {%- for row in problems.rows -%}
            {%- do lines.append('  ' ~ seed_name ~ ', row ' ~ row[0] ~ ', column ' ~ row[1] ~ ': '
                ~ (("'" ~ row[2] ~ "'") if row[2] is not none else 'empty') ~ ' ' ~ row[3]) -%}
        {%- endfor -%}
        {%- set total = problems.rows[0][4] -%}
        {%- if total > problems.rows | length -%}
            {%- do lines.append('  ... and ' ~ (total - problems.rows | length) ~ ' more') -%}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            "Invalid configuration seed '" ~ seed_name ~ "' (rows counted from 1 below the header):\n"
            ~ lines | join('\n')) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The value of a column as the checks compare it. -#}
{% macro config_seed_value(check) -%}
    {%- set text = as_text(check.column) -%}
    {%- if check.get('type') == 'boolean' -%}
        cast({{ parse_boolean(text) }} as {{ text_type() }})
    {%- elif check.get('values') -%}
        lower({{ text }})
    {%- else -%}
        {{ text }}
    {%- endif -%}
{%- endmacro %}

{#- One row per bad value (`seed_row`, `column_name`, `bad_value`, `problem`, `problem_count`),
    in row then column order, at most 20. -#}
{% macro config_seed_problems_sql(seed_relation, checks, unique_key, same_within) -%}
    {%- set columns = checks | map(attribute='column') | list -%}
    with

    seed_rows as (
        select
            *,
            {{ config_seed_row_number() }} as seed_row
        from {{ seed_relation }}
    ),

    problems as (
        select
            cast(null as bigint) as seed_row,
            cast(null as {{ text_type() }}) as column_name,
            0 as column_order,
            cast(null as {{ text_type() }}) as bad_value,
            cast(null as {{ text_type() }}) as problem
        where 1 = 0
        {%- for check in checks %}
        {%- set text = as_text(check.column) %}
        {%- set order = loop.index %}
        {%- if check.get('required') %}
        union all
        select seed_row, '{{ check.column }}', {{ order }}, null, 'is required'
        from seed_rows
        where nullif({{ text }}, '') is null
        {%- endif %}
        {%- if check.get('type') == 'integer' %}
        union all
        select seed_row, '{{ check.column }}', {{ order }}, {{ text }}, 'is not an integer'
        from seed_rows
        where
            nullif({{ text }}, '') is not null
            and not {{ regex_full_match(text, "'[+-]?[0-9]{1,9}'") }}
        {%- elif check.get('type') == 'boolean' %}
        union all
        select seed_row, '{{ check.column }}', {{ order }}, {{ text }},
            'is not a boolean (true, false, 1 or 0)'
        from seed_rows
        where {{ is_invalid_boolean(text) }}
        {%- endif %}
        {%- if check.get('values') %}
        union all
        select seed_row, '{{ check.column }}', {{ order }}, {{ text }},
            'is not one of: {{ check['values'] | join(', ') }}'
        from seed_rows
        where
            nullif({{ text }}, '') is not null
            and lower({{ text }}) not in ('{{ check['values'] | join("', '") }}')
        {%- endif %}
        {%- endfor %}
        {%- if unique_key %}
        {%- set key_texts = [] %}
        {%- for column in unique_key %}{% do key_texts.append(as_text(column)) %}{% endfor %}
        union all
        select
            seed_row,
            '{{ unique_key | join(", ") }}',
            {{ columns.index(unique_key[0]) + 1 }},
            {{ concat_text(key_texts, "', '") }},
            'repeats row ' || cast(first_row as {{ text_type() }})
        from (
            select
                seed_row,
                {%- for column in unique_key %}
                {{ as_text(column) }} as {{ column }},
                {%- endfor %}
                min(seed_row) over (partition by {{ key_texts | join(', ') }}) as first_row
            from seed_rows
        ) as keyed
        where seed_row > first_row
        {%- endif %}
        {%- for group_column, repeated in same_within.items() %}
        {%- for check in checks if check.column in repeated %}
        union all
        select
            seed_row,
            '{{ check.column }}',
            {{ columns.index(check.column) + 1 }},
            group_value,
            'differs from row ' || cast(first_row as {{ text_type() }})
            || ' of the same {{ group_column }}'
        from (
            select
                seed_row,
                {{ as_text(check.column) }} as group_value,
                {{ config_seed_value(check) }} as compared,
                first_value({{ config_seed_value(check) }}) over (
                    partition by {{ as_text(group_column) }} order by seed_row
                ) as first_compared,
                min(seed_row) over (partition by {{ as_text(group_column) }}) as first_row
            from seed_rows
        ) as grouped
        where
            coalesce(compared, '') != coalesce(first_compared, '')
        {%- endfor %}
        {%- endfor %}
    ),

    numbered as (
        select
            seed_row,
            column_name,
            bad_value,
            problem,
            count(*) over () as problem_count,
            row_number() over (order by seed_row, column_order, problem) as problem_order
        from problems
    )

    select
        seed_row,
        column_name,
        bad_value,
        problem,
        problem_count
    from numbered
    where problem_order <= 20
    order by problem_order
{%- endmacro %}

{#- The 1-based place of each row of a seed table in the order it was loaded (file order). -#}
{% macro config_seed_row_number() -%}
    {{ return(adapter.dispatch('config_seed_row_number', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__config_seed_row_number() -%}
    row_number() over ()
{%- endmacro %}

{#- DuckDB numbers a table's rows in insertion order. -#}
{% macro duckdb__config_seed_row_number() -%}
    rowid + 1
{%- endmacro %}

{#- PostgreSQL: a freshly loaded table's rows lie in insertion order. -#}
{% macro postgres__config_seed_row_number() -%}
    row_number() over (order by ctid)
{%- endmacro %}

{% macro spark__config_seed_row_number() -%}
    row_number() over (order by monotonically_increasing_id())
{%- endmacro %}
