{#- Helper functions that an engine lacks, created by an `on-run-start` hook (dbt_project.yml)
    before any model runs. DuckDB needs none: its `try_cast` returns null on text it cannot read.

    PostgreSQL (15 and newer) has no cast that returns null instead of raising, so staging would
    stop at the first unparseable raw value. These PL/pgSQL functions make the casts safe: each
    returns null where the cast raises a data exception (SQLSTATE class 22), and catches nothing
    else.
    They live in the target's own schema (with `schema_prefix`) and are called only by the
    `postgres__` macros of macros/parsing.sql and macros/json.sql, through `engine_function()`. -#}

{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'chat_touchpoints')()) }}
{%- endmacro %}

{#- The qualified name of a helper function created here. -#}
{% macro engine_function(name) -%}
    {{ return(adapter.quote(generate_schema_name(none, none) | trim) ~ '.' ~ name) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
{%- endmacro %}

{% macro postgres__create_engine_functions() -%}
create schema if not exists {{ adapter.quote(generate_schema_name(none, none) | trim) }};

{#- A UTC timestamp from `YYYY-MM-DD HH:MM[:SS[.f]]+HH:MM` (the text of
    `iso_timestamp_with_offset()`), or null. The offset is subtracted by hand, so that the session
    time zone plays no part and any HH:MM offset reads as DuckDB reads it (PostgreSQL's own
    timestamptz input refuses offsets beyond 15:59). A 60th second is refused, as DuckDB does;
    24:00:00 is the next midnight on both engines. -#}
create or replace function {{ engine_function('ct_try_utc_timestamp') }}(value text)
returns timestamp
language plpgsql stable strict
as $$
declare
    local_text text := left(value, length(value) - 6);
    offset_sign integer := case substr(value, length(value) - 5, 1) when '-' then -1 else 1 end;
begin
    if local_text ~ ':60([.]|$)' then
        return null;
    end if;
    return cast(local_text as timestamp)
        - offset_sign * make_interval(
            hours => cast(substr(value, length(value) - 4, 2) as integer),
            mins => cast(right(value, 2) as integer)
        );
exception when data_exception then
    return null;
end
$$;

{#- A `numeric(18, 2)` from number text, or null when it does not fit (`cast_or_null`). -#}
create or replace function {{ engine_function('ct_try_decimal_18_2') }}(value text)
returns numeric(18, 2)
language plpgsql immutable strict
as $$
begin
    return cast(value as numeric(18, 2));
exception when data_exception then
    return null;
end
$$;

{#- A date from `YYYY-MM-DD`, or null when it is not a real date. -#}
create or replace function {{ engine_function('ct_try_date') }}(value text)
returns date
language plpgsql stable strict
as $$
begin
    return cast(value as date);
exception when data_exception then
    return null;
end
$$;

{#- The text as a JSON document, or null when it is malformed. -#}
create or replace function {{ engine_function('ct_try_json') }}(value text)
returns json
language plpgsql immutable strict
as $$
begin
    return cast(value as json);
exception when data_exception then
    return null;
end
$$;

{#- The top-level value under `key` of a JSON object, as text (strings unquoted, other values as
    written, JSON null as null); null when the text is not a JSON object or lacks the key. With a
    repeated key the first one counts, as in DuckDB. -#}
create or replace function {{ engine_function('ct_json_object_text') }}(value text, key text)
returns text
language plpgsql immutable strict
as $$
declare
    document json := {{ engine_function('ct_try_json') }}(value);
    result text;
begin
    if document is null or json_typeof(document) != 'object' then
        return null;
    end if;
    select entry.value into result
    from json_each_text(document) with ordinality as entry (key, value, position)
    where entry.key = ct_json_object_text.key
    order by entry.position
    limit 1;
    return result;
exception when data_exception then
    return null;
end
$$;
{%- endmacro %}
