{#- Parsing raw text into typed values (the rule book, "Timestamps and values"). Every parser
    returns null for empty text and for text it cannot read; the matching `is_invalid_*` macro tells
    the two apart so that staging can reject the row with a reason instead of silently nulling a
    value. -#}

{#- Empty or blank text counts as missing. -#}
{% macro nullif_blank(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#- ISO-8601: a date, optionally followed by `T` or a space and a time (HH:MM, HH:MM:SS, fractions
    of 1 to 6 digits), then optionally `Z` or a +HH:MM/-HH:MM offset within ±14:00 (minutes 00-59).
    No offset means UTC. -#}
{% macro iso_timestamp_regex() -%}
    {{ return('[0-9]{4}-[0-9]{2}-[0-9]{2}'
        ~ '([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?'
        ~ '(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?)?') }}
{%- endmacro %}

{#- The same, as a SQL string literal. -#}
{% macro iso_timestamp_pattern() -%}
    '{{ iso_timestamp_regex() }}'
{%- endmacro %}

{#- Parsing once. A `base_` model reads each timestamp, date and number column of its raw table
    once, into `<column>__parsed` (`parse_timestamp`, `parse_date`, `parse_number`), in a CTE of
    its own; the typed column (`parsed_timestamp`, ...) and the reject check (`timestamp_check`,
    ... in macros/staging.sql) both read that column instead of parsing the text again. -#}

{#- A UTC timestamp (without time zone) from ISO-8601 text; null when empty or unparseable. The
    value may lie outside years 1-9999 (`9999-12-31T23:59:59-14:00`): `timestamp_in_range` turns
    such a value into null. -#}
{% macro parse_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'chat_touchpoints')(expr)) }}
{%- endmacro %}

{#- The timestamp when its year is 1-9999, else null. `value` is a column, read twice. -#}
{% macro timestamp_in_range(value) -%}
    case when extract(year from {{ value }}) between 1 and 9999 then {{ value }} end
{%- endmacro %}

{#- The typed timestamp of `column`, from its `<column>__parsed` value. -#}
{% macro parsed_timestamp(column) -%}
    {{ timestamp_in_range(column ~ '__parsed') }}
{%- endmacro %}

{#- Normalises to `YYYY-MM-DD HH:MM[:SS[.f]]+HH:MM` (PostgreSQL's reading of it is
    `ct_try_utc_timestamp`), so that the session time zone never plays a part. -#}
{% macro iso_timestamp_with_offset(expr) -%}
    case
        when length(trim({{ expr }})) = 10 then trim({{ expr }}) || ' 00:00:00+00:00'
        when right(trim({{ expr }}), 1) = 'Z'
            then replace(left(trim({{ expr }}), length(trim({{ expr }})) - 1), 'T', ' ') || '+00:00'
        when {{ regex_full_match('trim(' ~ expr ~ ')', "'.*[+-][0-9]{2}:[0-9]{2}'") }}
            and length(trim({{ expr }})) > 16
            then replace(trim({{ expr }}), 'T', ' ')
        else replace(trim({{ expr }}), 'T', ' ') || '+00:00'
    end
{%- endmacro %}

{#- DuckDB reads ISO-8601 text itself once the pattern has matched: text with `Z` or an offset as
    `timestamptz` (then to UTC), text without one as a plain `timestamp`, which is UTC by
    convention, so that the session time zone never plays a part. An offset is present exactly
    when the text ends in `Z` or its sixth character from the end is a sign (after the date). -#}
{% macro default__parse_timestamp(expr) -%}
    case
        when not {{ regex_full_match('trim(' ~ expr ~ ')', iso_timestamp_pattern()) }} then null
        when right(trim({{ expr }}), 1) = 'Z'
            or (length(trim({{ expr }})) > 16 and substr(trim({{ expr }}), -6, 1) in ('+', '-'))
            then timezone('UTC', try_cast(trim({{ expr }}) as timestamptz))
        else try_cast(trim({{ expr }}) as timestamp)
    end
{%- endmacro %}

{#- PostgreSQL has no `try_cast`: `ct_try_utc_timestamp` (macros/engine_functions.sql) reads the
    normalised text and applies its offset, returning null where the cast would raise. -#}
{% macro postgres__parse_timestamp(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', iso_timestamp_pattern()) }}
            then {{ engine_function('ct_try_utc_timestamp') }}(
                {{ iso_timestamp_with_offset(expr) }}
            )
    end
{%- endmacro %}

{#- Spark reads `YYYY-MM-DD HH:MM:SS[.f]+HH:MM` itself, offset included, into the session's time
    zone (UTC in the `spark` target); with ANSI mode off (dbt-spark's setting) the cast is null
    where the text names no real moment. A time without seconds gets `:00` first: Spark reads no
    offset after `HH:MM`. -#}
{% macro spark__parse_timestamp(expr) -%}
    {%- set normalized = iso_timestamp_with_offset(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', iso_timestamp_pattern()) }}
            then cast(
                case
                    when length({{ normalized }}) = 22
                        then concat(left({{ normalized }}, 16), ':00', right({{ normalized }}, 6))
                    else {{ normalized }}
                end as timestamp
            )
    end
{%- endmacro %}

{#- True when the text is present but is not an ISO-8601 timestamp (rule book, "Timestamps and
    values") with a UTC value in years 1-9999. `parsed` is the text's `parse_timestamp` value when
    the model already has it (a column); without it the text is parsed here. -#}
{% macro is_invalid_timestamp(expr, parsed=none) -%}
    {%- set parsed = parsed if parsed is not none else '(' ~ parse_timestamp(expr) ~ ')' -%}
    ({{ nullif_blank(expr) }} is not null and ({{ timestamp_in_range(parsed) }}) is null)
{%- endmacro %}

{#- A date from `YYYY-MM-DD`; null when empty or not a real date. -#}
{% macro parse_date(expr) -%}
    {{ return(adapter.dispatch('parse_date', 'chat_touchpoints')(expr)) }}
{%- endmacro %}

{% macro default__parse_date(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', "'[0-9]{4}-[0-9]{2}-[0-9]{2}'") }}
            then {{ cast_or_null('trim(' ~ expr ~ ')', 'date') }}
    end
{%- endmacro %}

{% macro postgres__parse_date(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', "'[0-9]{4}-[0-9]{2}-[0-9]{2}'") }}
            then {{ engine_function('ct_try_date') }}(trim({{ expr }}))
    end
{%- endmacro %}

{#- The typed date of `column`, from its `<column>__parsed` value: null outside years 1-9999. -#}
{% macro parsed_date(column) -%}
    case
        when extract(year from {{ column }}__parsed) between 1 and 9999 then {{ column }}__parsed
    end
{%- endmacro %}

{#- True when the text is present but is not a real date of years 1-9999; `parsed` as for
    `is_invalid_timestamp`. -#}
{% macro is_invalid_date(expr, parsed=none) -%}
    {%- set parsed = parsed if parsed is not none else '(' ~ parse_date(expr) ~ ')' -%}
    ({{ nullif_blank(expr) }} is not null
        and (case when extract(year from {{ parsed }}) between 1 and 9999 then 1 end) is null)
{%- endmacro %}

{#- Booleans: true/false in any case, 1/0, or empty (null). -#}
{% macro parse_boolean(expr) -%}
    case
        when lower(trim({{ expr }})) in ('true', '1') then true
        when lower(trim({{ expr }})) in ('false', '0') then false
    end
{%- endmacro %}

{% macro is_invalid_boolean(expr) -%}
    ({{ nullif_blank(expr) }} is not null
        and lower(trim({{ expr }})) not in ('true', '1', 'false', '0'))
{%- endmacro %}

{#- Decimal numbers such as `1200`, `-5`, `1200.50`, read as `decimal(18, 2)`: a number that does
    not fit (`12345678901234567890`) is unparseable, never an error that stops the build. -#}
{% macro number_pattern() -%}
    '-?[0-9]+(\.[0-9]+)?'
{%- endmacro %}

{% macro parse_number(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', number_pattern()) }}
            then {{ cast_or_null('trim(' ~ expr ~ ')', 'decimal(18, 2)') }}
    end
{%- endmacro %}

{#- The typed number of `column`, from its `<column>__parsed` value. -#}
{% macro parsed_number(column) -%}
    {{ column }}__parsed
{%- endmacro %}

{% macro is_invalid_number(expr, parsed=none) -%}
    {%- set parsed = parsed if parsed is not none else '(' ~ parse_number(expr) ~ ')' -%}
    ({{ nullif_blank(expr) }} is not null and {{ parsed }} is null)
{%- endmacro %}

{#- A cast of text that is null where the engine's cast would raise (a value out of range, text
    it cannot read). Every cast of raw text in staging goes through here. Types: `decimal(18, 2)`,
    `date`, `timestamp`, `timestamptz` on DuckDB; `decimal(18, 2)` on PostgreSQL, whose other
    readings are functions of macros/engine_functions.sql. -#}
{% macro cast_or_null(expr, type) -%}
    {{ return(adapter.dispatch('cast_or_null', 'chat_touchpoints')(expr, type)) }}
{%- endmacro %}

{% macro default__cast_or_null(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{% macro postgres__cast_or_null(expr, type) -%}
    {%- if type | replace(' ', '') | lower != 'decimal(18,2)' -%}
        {{ exceptions.raise_compiler_error("cast_or_null: no safe PostgreSQL cast to " ~ type) }}
    {%- endif -%}
    {{ engine_function('ct_try_decimal_18_2') }}({{ expr }})
{%- endmacro %}

{#- Emails: lower-cased and trimmed; valid when they match ^[^@\s]+@[^@\s]+\.[^@\s]+$. -#}
{% macro normalize_email(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}

{% macro is_valid_email(expr) -%}
    {{ regex_full_match(normalize_email(expr), "'[^@\\s]+@[^@\\s]+\\.[^@\\s]+'") }}
{%- endmacro %}

{#- The email when valid, else null (for tables where an email is optional). -#}
{% macro valid_email_or_null(expr) -%}
    case when {{ is_valid_email(expr) }} then {{ normalize_email(expr) }} end
{%- endmacro %}

{#- The raw row as text: its values joined by `|` in the column order of the raw table. Used for
    `audit.rejected_rows.raw_row` and as the last tie-break when deduplicating. -#}
{% macro raw_row_text(columns) -%}
    {{ concat_text(columns) }}
{%- endmacro %}

{#- Midnight UTC starting a date, as a timestamp. -#}
{% macro date_to_timestamp(expr) -%}
    cast({{ expr }} as timestamp)
{%- endmacro %}
