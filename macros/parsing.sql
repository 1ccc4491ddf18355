{#- Parsing raw text into typed values (SPEC section 3). Every parser returns null for empty text and
    for text it cannot read; the matching `is_invalid_*` macro tells the two apart so that staging can
    reject the row with a reason instead of silently nulling a value. -#}

{#- Empty or blank text counts as missing. -#}
{% macro nullif_blank(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#- ISO-8601: a date, optionally followed by `T` or a space and a time (HH:MM, HH:MM:SS, fractions of
    1 to 6 digits), then optionally `Z` or a +HH:MM/-HH:MM offset. No offset means UTC. -#}
{% macro iso_timestamp_regex() -%}
    {{ return('[0-9]{4}-[0-9]{2}-[0-9]{2}'
        ~ '([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?') }}
{%- endmacro %}

{#- The same, as a SQL string literal. -#}
{% macro iso_timestamp_pattern() -%}
    '{{ iso_timestamp_regex() }}'
{%- endmacro %}

{#- A UTC timestamp (without time zone) from ISO-8601 text; null when empty or unparseable. -#}
{% macro parse_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'chat_touchpoints')(expr)) }}
{%- endmacro %}

{#- Normalises to `YYYY-MM-DD HH:MM[:SS[.f]]+HH:MM` before the engine's own cast, so that the session
    time zone never plays a part. -#}
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

{% macro default__parse_timestamp(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', iso_timestamp_pattern()) }}
            then timezone('UTC', try_cast({{ iso_timestamp_with_offset(expr) }} as timestamptz))
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

{#- True when the text is present but is not an ISO-8601 timestamp of SPEC section 3. -#}
{% macro is_invalid_timestamp(expr) -%}
    ({{ nullif_blank(expr) }} is not null and {{ parse_timestamp(expr) }} is null)
{%- endmacro %}

{#- A date from `YYYY-MM-DD`; null when empty or not a real date. -#}
{% macro parse_date(expr) -%}
    {{ return(adapter.dispatch('parse_date', 'chat_touchpoints')(expr)) }}
{%- endmacro %}

{% macro default__parse_date(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', "'[0-9]{4}-[0-9]{2}-[0-9]{2}'") }}
            then try_cast(trim({{ expr }}) as date)
    end
{%- endmacro %}

{% macro postgres__parse_date(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', "'[0-9]{4}-[0-9]{2}-[0-9]{2}'") }}
            then {{ engine_function('ct_try_date') }}(trim({{ expr }}))
    end
{%- endmacro %}

{% macro is_invalid_date(expr) -%}
    ({{ nullif_blank(expr) }} is not null and {{ parse_date(expr) }} is null)
{%- endmacro %}

{#- Booleans: true/false in any case, 1/0, or empty (null). -#}
{% macro parse_boolean(expr) -%}
    case
        when lower(trim({{ expr }})) in ('true', '1') then true
        when lower(trim({{ expr }})) in ('false', '0') then false
    end
{%- endmacro %}

{% macro is_invalid_boolean(expr) -%}
    ({{ nullif_blank(expr) }} is not null and lower(trim({{ expr }})) not in ('true', '1', 'false', '0'))
{%- endmacro %}

{#- Decimal numbers such as `1200`, `-5`, `1200.50`. -#}
{% macro number_pattern() -%}
    '-?[0-9]+(\.[0-9]+)?'
{%- endmacro %}

{% macro parse_number(expr) -%}
    case
        when {{ regex_full_match('trim(' ~ expr ~ ')', number_pattern()) }}
            then cast(trim({{ expr }}) as decimal(18, 2))
    end
{%- endmacro %}

{% macro is_invalid_number(expr) -%}
    ({{ nullif_blank(expr) }} is not null and {{ parse_number(expr) }} is null)
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

{#- The raw row as text: its values joined by `|` in the column order of SPEC section 3. Used for
    `audit.rejected_rows.raw_row` and as the last tie-break when deduplicating. -#}
{% macro raw_row_text(columns) -%}
    {{ concat_text(columns) }}
{%- endmacro %}

{#- Midnight UTC starting a date, as a timestamp. -#}
{% macro date_to_timestamp(expr) -%}
    cast({{ expr }} as timestamp)
{%- endmacro %}
