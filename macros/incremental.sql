{#- Incremental staging (docs/rules.md, "Bad input and row accounting"; README "Scheduled builds").

    Every `base_` model keeps one row per raw row. An incremental build parses only the raw rows
    loaded since the previous build, less `incremental_lookback_hours`, and re-decides the outcome
    of every row that shares an id with them, so that the repeated-id and duplicate rule still sees
    every batch. The strategy is delete+insert on `row_key` (the id the rule groups rows by): the
    rows of the touched ids are deleted and inserted again with their new outcome; rows of other
    ids cannot change and stay as they are. -#}

{#- How the `base_` models are materialized: incremental where delete+insert by key exists. -#}
{% macro staging_materialization() -%}
    {{ return(adapter.dispatch('staging_materialization', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__staging_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{#- Spark has no delete+insert, and merge needs a unique key (several raw rows share an id): the
    `base_` models are rebuilt in full there, which always equals a full refresh. -#}
{% macro spark__staging_materialization() -%}
    {{ return('table') }}
{%- endmacro %}

{#- The strategy of the `base_` models: delete+insert by key exists on DuckDB and PostgreSQL. -#}
{% macro staging_incremental_strategy() -%}
    {{ return(adapter.dispatch('staging_incremental_strategy', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__staging_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{#- The load stamp a raw table is read with: the epoch, the time a table without stamps counts as
    loaded at. -#}
{% macro epoch_timestamp() -%}
    cast('1970-01-01 00:00:00' as timestamp)
{%- endmacro %}

{#- When a raw row was loaded: its `raw_loaded_at_column` (ISO-8601 text) read as a UTC timestamp;
    the epoch for a row without a stamp, and for every row of a table without that column. -#}
{% macro raw_loaded_at(relation) -%}
    {%- set column = var('raw_loaded_at_column') -%}
    {%- set present = execute and (column | lower) in (
        adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list) -%}
    {%- if present -%}
        coalesce({{ parse_timestamp(adapter.quote(column)) }}, {{ epoch_timestamp() }})
    {%- else -%}
        {{ epoch_timestamp() }}
    {%- endif -%}
{%- endmacro %}

{#- Rows loaded at or after this time are parsed again by an incremental build: the latest load
    stamp the model holds, less `incremental_lookback_hours` (for loaders that commit late). -#}
{% macro incremental_cutoff() -%}
    {%- if not execute -%}
        {{ return(epoch_timestamp()) }}
    {%- endif -%}
    {%- set latest = run_query('select max(loaded_at) from ' ~ this).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return("cast('0001-01-01 00:00:00' as timestamp)") }}
    {%- endif -%}
    {%- set lookback = hours_var('incremental_lookback_hours', 0) -%}
    {%- set cutoff = latest - modules.datetime.timedelta(hours=lookback) -%}
    {{ return("cast('" ~ cutoff.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)") }}
{%- endmacro %}

{#- The raw rows a `base_` model parses, with their load stamp as `loaded_at`: every row, or in an
    incremental build those loaded since the cutoff. -#}
{% macro raw_rows_to_parse(relation) -%}
    select
        *,
        {{ raw_loaded_at(relation) }} as loaded_at
    from {{ relation }}
    {%- if is_incremental() %}
    where {{ raw_loaded_at(relation) }} >= {{ incremental_cutoff() }}
    {%- endif %}
{%- endmacro %}

{#- Pre-hook of the staging models: in an incremental build, deletes the rows held from raw rows
    loaded at or after the cutoff. Those raw rows are parsed again anyway; deleting them first means
    that a held row whose raw row is gone (a raw table replaced by one whose rows are all unstamped,
    so that all of it lies after the cutoff) cannot stay behind. Empty for other materializations. -#}
{% macro delete_rows_parsed_again() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where loaded_at >= {{ incremental_cutoff() }}
    {%- endif -%}
{%- endmacro %}

{#- The rows whose outcome is decided now: the parsed rows of `cte`, and in an incremental build
    also the rows already held for the same ids (`id_column`, missing ids as one group), loaded
    before the cutoff. Raw tables only grow by appending: a build that finds fewer or more rows
    before the cutoff than it holds stops and asks for a full refresh. -#}
{% macro rows_sharing_new_ids(cte, id_column, relation) -%}
    select * from {{ cte }}
    {%- if is_incremental() %}
    {%- set cutoff = incremental_cutoff() %}
    {%- do check_raw_rows_only_appended(relation, cutoff) %}
    {%- set kept = [] %}
    {%- for column in adapter.get_columns_in_relation(this) %}
        {%- if column.name | lower not in ('source_row_id', 'row_key', 'row_outcome') %}
            {%- do kept.append(adapter.quote(column.name)) %}
        {%- endif %}
    {%- endfor %}
    union all
    select {{ kept | join(', ') }}
    from {{ this }}
    where
        loaded_at < {{ cutoff }}
        and row_key in (select coalesce({{ id_column }}, '') from {{ cte }})
    {%- endif %}
{%- endmacro %}

{#- Stops an incremental build when the raw table holds another number of rows loaded before the
    cutoff than the model: the table was replaced or edited, not appended to. -#}
{% macro check_raw_rows_only_appended(relation, cutoff) -%}
    {%- if execute -%}
        {%- set held = run_query(
            'select count(*) from ' ~ this ~ ' where loaded_at < ' ~ cutoff
        ).columns[0].values()[0] -%}
        {%- set raw = run_query(
            'select count(*) from ' ~ relation ~ ' where ' ~ raw_loaded_at(relation)
            ~ ' < ' ~ cutoff
        ).columns[0].values()[0] -%}
        {%- if held != raw -%}
            {{ exceptions.raise_compiler_error(
                relation ~ ' holds ' ~ raw ~ ' rows loaded before ' ~ cutoff ~ ' but '
                ~ this ~ ' was built from ' ~ held ~ ': the raw table was replaced or edited, '
                ~ 'not appended to; rebuild with --full-refresh') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- A whole number of hours, at least `minimum`: the validated value of `variable`. -#}
{% macro hours_var(variable, minimum) -%}
    {%- set value = var(variable) -%}
    {%- set text = (value | string) | trim -%}
    {%- if value is boolean or value is none or value is mapping
        or (value is not number and value is not string)
        or not modules.re.fullmatch('[0-9]+', text) -%}
        {{ config_error(variable, "must be a whole number of hours, got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- if (text | int) < minimum -%}
        {{ config_error(variable, "must be at least " ~ minimum ~ " hours, got " ~ text) }}
    {%- endif -%}
    {{ return(text | int) }}
{%- endmacro %}

{#- Runs every accessor of the scheduled-build variables, so that a bad value stops the build
    before any model is built. -#}
{% macro validate_incremental_configuration() -%}
    {%- set column = var('raw_loaded_at_column') -%}
    {%- if column is not string or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', column) -%}
        {{ config_error('raw_loaded_at_column', "must be a column name (letters, digits, "
            ~ "underscores), got '" ~ column ~ "'") }}
    {%- endif -%}
    {%- set warn = hours_var('freshness_warn_hours', 1) -%}
    {%- if hours_var('freshness_error_hours', 1) < warn -%}
        {{ config_error('freshness_error_hours', "must not be less than freshness_warn_hours ("
            ~ warn ~ ")") }}
    {%- endif -%}
    {%- do hours_var('incremental_lookback_hours', 0) -%}
{%- endmacro %}
