{#- JSON in text columns (docs/rules.md ("Timestamps and values"): `marketo_activities.attributes`).
    Every engine parses JSON its own
    way, and a malformed document must never stop the build: each macro here is safe on any text,
    returning null (or false) where the engine would raise.

    - `json_is_valid(expr)`: the text is a well-formed JSON document (null for null text).
    - `json_is_object(expr)`: the text is a well-formed JSON object (false otherwise).
    - `json_text(expr, key)`: the top-level value under `key` of a JSON object, as text: strings
      unquoted, numbers and booleans as written (`true`, `1`), JSON null as null, nested values as
      JSON text; null when the text is not a JSON object or has no such key. `key` is a fixed
      attribute name written in a model, never data. -#}

{% macro json_is_valid(expr) -%}
    {{ return(adapter.dispatch('json_is_valid', 'chat_touchpoints')(expr)) }}
{%- endmacro %}

{% macro json_is_object(expr) -%}
    {{ return(adapter.dispatch('json_is_object', 'chat_touchpoints')(expr)) }}
{%- endmacro %}

{% macro json_text(expr, key) -%}
    {%- if not modules.re.fullmatch('[A-Za-z0-9 _-]+', key) -%}
        {{ exceptions.raise_compiler_error("json_text: unsupported attribute name '" ~ key ~ "'") }}
    {%- endif -%}
    {{ return(adapter.dispatch('json_text', 'chat_touchpoints')(expr, key)) }}
{%- endmacro %}

{#- DuckDB: `try_cast(... as json)` is null for malformed text; `json_type` and the extraction
    functions raise on malformed text even inside a `case`, so they only ever see the cast. -#}
{% macro default__json_is_valid(expr) -%}
    json_valid({{ expr }})
{%- endmacro %}

{% macro default__json_is_object(expr) -%}
    coalesce(json_type(try_cast({{ expr }} as json)) = 'OBJECT', false)
{%- endmacro %}

{% macro default__json_text(expr, key) -%}
    json_extract_string(try_cast({{ expr }} as json), '$."{{ key }}"')
{%- endmacro %}

{#- PostgreSQL: a cast to json raises on malformed text, so `ct_try_json` and `ct_json_object_text`
    (macros/engine_functions.sql) catch the error. Not byte-for-byte DuckDB on non-standard JSON:
    DuckDB also reads trailing commas and NaN/Infinity, which PostgreSQL rejects as malformed, and
    DuckDB re-prints numbers and nested values (`1.50` as `1.5`) where PostgreSQL keeps them as
    written. -#}
{% macro postgres__json_is_valid(expr) -%}
    case
        when {{ expr }} is not null
            then {{ engine_function('ct_try_json') }}({{ expr }}) is not null
    end
{%- endmacro %}

{% macro postgres__json_is_object(expr) -%}
    coalesce(json_typeof({{ engine_function('ct_try_json') }}({{ expr }})) = 'object', false)
{%- endmacro %}

{% macro postgres__json_text(expr, key) -%}
    {{ engine_function('ct_json_object_text') }}({{ expr }}, '{{ key }}')
{%- endmacro %}

{#- Spark: the JSON functions return null for malformed text. `json_object_keys` is null unless the
    text is an object, `json_array_length` unless it is an array, `get_json_object(..., '$')` for
    malformed text and JSON null; `from_json` into a map keeps non-string values as JSON text;
    `try_element_at` (3.3+) is null for a missing key whatever the ANSI mode. -#}
{% macro spark__json_is_valid(expr) -%}
    case
        when {{ expr }} is null then null
        when json_object_keys({{ expr }}) is not null then true
        when json_array_length({{ expr }}) is not null then true
        when get_json_object({{ expr }}, '$') is not null then true
        else lower(trim({{ expr }})) = 'null'
    end
{%- endmacro %}

{% macro spark__json_is_object(expr) -%}
    coalesce(json_object_keys({{ expr }}) is not null, false)
{%- endmacro %}

{% macro spark__json_text(expr, key) -%}
    case
        when {{ spark__json_is_object(expr) }}
            then try_element_at(from_json({{ expr }}, 'map<string, string>'), '{{ key }}')
    end
{%- endmacro %}
