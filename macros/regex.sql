{#- Regular expressions differ by engine: DuckDB and Spark have functions, PostgreSQL operators. -#}

{#- True when the whole of `expr` matches `pattern` (a SQL string literal). -#}
{% macro regex_full_match(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'chat_touchpoints')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, {{ pattern }})
{%- endmacro %}

{#- PostgreSQL: the `~` operator, anchored, with `\s` read as DuckDB reads it. -#}
{% macro postgres__regex_full_match(expr, pattern) -%}
    ({{ expr }} ~ ('^(' || {{ postgres__re2_whitespace(pattern) }} || ')$'))
{%- endmacro %}

{#- `\s` is ASCII whitespace (tab, newline, form feed, carriage return, space) in RE2, which DuckDB
    uses, but locale-dependent in PostgreSQL (vertical tab and, in a UTF-8 locale, Unicode spaces
    too). In a pattern written as a SQL string literal, this spells it out: `\t\n\f\r ` inside
    a bracket expression, `[\t\n\f\r ]` outside one. -#}
{% macro postgres__re2_whitespace(pattern) -%}
    {%- set parts = modules.re.split('(\\[\\^?\\]?[^\\]]*\\])', pattern) -%}
    {%- set translated = [] -%}
    {%- for part in parts -%}
        {%- if loop.index is even -%}
            {%- do translated.append(part.replace('\\s', '\\t\\n\\f\\r ')) -%}
        {%- else -%}
            {%- do translated.append(part.replace('\\s', '[\\t\\n\\f\\r ]')) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(translated | join('')) }}
{%- endmacro %}

{% macro spark__regex_full_match(expr, pattern) -%}
    ({{ expr }} rlike concat('^(', {{ spark__regex_literal(pattern) }}, ')$'))
{%- endmacro %}

{#- Spark reads backslash escapes in a string literal (`'\s'` is `s`): a pattern written as a
    literal gets its backslashes doubled, so that the regular expression receives them. -#}
{% macro spark__regex_literal(pattern) -%}
    {%- set text = pattern | string | trim -%}
    {%- if text.startswith("'") -%}
        {{ return(text.replace('\\', '\\\\')) }}
    {%- endif -%}
    {{ return(pattern) }}
{%- endmacro %}

{#- Replaces every match of `pattern` in `expr`. -#}
{% macro regex_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'chat_touchpoints')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ spark__regex_literal(pattern) }}, {{ replacement }})
{%- endmacro %}
