{#- Incremental staging (docs/rules.md, "Bad input and row accounting"; README "Scheduled builds").

    Every `base_` model keeps one row per raw row. An incremental build parses only the raw rows
    loaded since the previous build, less `incremental_lookback_hours`, and parses again the earlier
    raw rows that share an id with them, so that the repeated-id and duplicate rule still sees
    every batch. The strategy is delete+insert on `row_key` (the id the rule groups rows by): the
    rows of the touched ids are deleted and inserted again with their new outcome; rows of other
    ids cannot change and stay as they are. -#}

{#- How the incremental models (the `base_` models, int_chat_activities) are materialized:
    incremental where rows can be deleted by key (DuckDB, PostgreSQL). -#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{#- Spark has no delete+insert, and merge needs a unique key (several raw rows share an id): the
    incremental models are tables rebuilt in full there, which always equals a full refresh. -#}
{% macro spark__incremental_materialization() -%}
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
        coalesce({{ read_load_stamp(adapter.quote(column)) }}, {{ epoch_timestamp() }})
    {%- else -%}
        {{ epoch_timestamp() }}
    {%- endif -%}
{%- endmacro %}

{#- A load stamp read as a UTC timestamp, or null: what `parse_timestamp` reads. Dispatched: on
    DuckDB the stamp `chat-touchpoints build` writes (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC) is read
    with a plain cast, and only other text goes through the general reader. -#}
{% macro read_load_stamp(expr) -%}
    {{ return(adapter.dispatch('read_load_stamp', 'chat_touchpoints')(expr)) }}
{%- endmacro %}

{% macro default__read_load_stamp(expr) -%}
    {{ parse_timestamp(expr) }}
{%- endmacro %}

{% macro duckdb__read_load_stamp(expr) -%}
    case
        when {{ expr }} like '____-__-__T__:__:__.______Z' and {{ expr }} >= '0001'
            then try_cast({{ expr }} as timestamp)
        else {{ parse_timestamp(expr) }}
    end
{%- endmacro %}

{#- Rows loaded at or after this moment are parsed again by an incremental build: the latest load
    stamp the model holds, less `incremental_lookback_hours` (for loaders that commit late); the
    year 1 when the model holds no row. A Python datetime (none while parsing). -#}
{% macro incremental_cutoff_moment() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set latest = run_query('select max(loaded_at) from ' ~ this).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return(modules.datetime.datetime(1, 1, 1)) }}
    {%- endif -%}
    {{ return(latest - modules.datetime.timedelta(hours=hours_var('incremental_lookback_hours', 0))) }}
{%- endmacro %}

{#- The cutoff as a SQL timestamp literal: of `moment` when given (a caller that already read it),
    else read now. -#}
{% macro incremental_cutoff(moment=none) -%}
    {%- set cutoff = moment if moment is not none else incremental_cutoff_moment() -%}
    {%- if cutoff is none -%}
        {{ return(epoch_timestamp()) }}
    {%- endif -%}
    {{ return("cast('" ~ '%04d' % cutoff.year ~ cutoff.strftime('-%m-%d %H:%M:%S.%f')
        ~ "' as timestamp)") }}
{%- endmacro %}

{#- A cheap condition that every raw row loaded at or after `cutoff` meets, tested before the
    stamp is read in full: its text starts with a date no earlier than the day before the cutoff's
    (a stamp's own date lies at most one day before its UTC date, at offset -14:00; a stamp that
    can be read starts with its date). Empty when rows without a readable stamp (read as the
    epoch) could lie after the cutoff, and for a table without stamps. -#}
{% macro stamp_text_may_reach(relation, cutoff) -%}
    {%- set column = var('raw_loaded_at_column') -%}
    {%- set present = (column | lower) in (
        adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list) -%}
    {%- set day = modules.datetime.timedelta(days=1) -%}
    {%- if present and cutoff > modules.datetime.datetime(1970, 1, 1) + day -%}
        left(trim({{ adapter.quote(column) }}), 10) >= '{{ (cutoff - day).strftime('%Y-%m-%d') }}' and
    {%- endif -%}
{%- endmacro %}

{#- The raw rows a `base_` model parses, with their load stamp as `loaded_at`: every row, or in an
    incremental build those loaded since the cutoff (the stamp's text compared first, so that older
    rows are not read in full) and the earlier raw rows of the same ids (`id_column`, missing ids as
    one group). Those are parsed again rather than read from the model: it keeps the raw text,
    the duplicate rule's last tie-break, only for rejected rows. -#}
{% macro raw_rows_to_parse(relation, id_column) -%}
    {%- set loaded_at = raw_loaded_at(relation) %}
    {%- if not is_incremental() %}
    select
        *,
        {{ loaded_at }} as loaded_at
    from {{ relation }}
    {%- else %}
    {%- set cutoff = incremental_cutoff_moment() %}
    {%- set row_key = 'coalesce(' ~ nullif_blank(id_column) ~ ", '')" %}
    with loaded_since_cutoff as (
        select
            *,
            {{ loaded_at }} as loaded_at
        from {{ relation }}
        where
            {{ stamp_text_may_reach(relation, cutoff) }}
            {{ loaded_at }} >= {{ incremental_cutoff(cutoff) }}
    )

    select * from loaded_since_cutoff
    union all
    select
        *,
        {{ loaded_at }} as loaded_at
    from {{ relation }}
    where
        {{ row_key }} in (select {{ row_key }} from loaded_since_cutoff)
        and {{ loaded_at }} < {{ incremental_cutoff(cutoff) }}
    {%- endif %}
{%- endmacro %}

{#- on-run-start: a dbt invocation that may change models drops the record of what each raw table
    held after the last complete `chat-touchpoints build` (`build_state.raw_tables`, kept by
    fingerprint.py); the driver writes it again only after a successful build of every model. So
    no other run (a plain `dbt build` with other variables or a selection, the Dagster job, a
    build that failed) leaves a record by which the next incremental build would skip a model it
    changed. DuckDB only: the driver keeps the record in the DuckDB files it builds. -#}
{% macro forget_raw_table_states() -%}
    {{ return(adapter.dispatch('forget_raw_table_states', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__forget_raw_table_states() -%}
{%- endmacro %}

{% macro duckdb__forget_raw_table_states() -%}
    {%- if execute and flags.WHICH in ('run', 'build', 'seed', 'snapshot') -%}
        drop table if exists build_state.raw_tables
    {%- endif -%}
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

{#- Post-hook of the staging models: an incremental `base_` model holds one row per raw row. Raw
    tables only grow by appending; when the raw table was replaced or edited instead, the rows
    loaded before the cutoff (kept as they were) no longer match it, the counts differ, and the
    build stops and asks for a full refresh. Two counts, no scan of the raw text. -#}
{% macro check_every_raw_row_held() -%}
    {%- if execute and model.config.materialized == 'incremental' and model.sources | length == 1 -%}
        {%- set relation = source(model.sources[0][0], model.sources[0][1]) -%}
        {%- set counts = run_query(
            'select (select count(*) from ' ~ relation ~ '), (select count(*) from ' ~ this ~ ')'
        ).rows[0] -%}
        {%- if counts[0] != counts[1] -%}
            {{ exceptions.raise_compiler_error(
                relation ~ ' holds ' ~ counts[0] ~ ' rows but ' ~ this ~ ' now holds '
                ~ counts[1] ~ ': the raw table was replaced or edited, not appended to; '
                ~ 'rebuild with --full-refresh') }}
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
