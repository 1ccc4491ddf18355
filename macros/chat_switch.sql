{#- The Sales Insight chat switch (docs/rules.md, "Chat activities"). Chat data is shown only when
    every prerequisite holds;
    `chat_data_shown()` is the one place that decides it, and every `si_chat_*` and `si_insights_*`
    mart filters on it, so that the features can only be switched together. The conditions come
    from the validated accessors of macros/config.sql; the API secret key is reduced to its
    presence there and its value is never rendered into SQL. -#}

{#- The prerequisites in the order of docs/rules.md ("Chat activities"), as (name, holds) pairs of
    Jinja booleans. -#}
{% macro chat_data_prerequisites() -%}
    {{ return([
        ('package_version_ok', package_version_ok()),
        ('dynamic_chat_setup', boolean_var('dynamic_chat_setup', true)),
        ('api_secret_key_present', api_secret_key_present()),
        ('enable_dynamic_chat_data', boolean_var('enable_dynamic_chat_data', true)),
    ]) }}
{%- endmacro %}

{#- The names of the failed prerequisites, in the order of docs/rules.md ("Chat activities") (empty
    when enabled). -#}
{% macro chat_data_disabled_reasons() -%}
    {%- set failed = [] -%}
    {%- for name, holds in chat_data_prerequisites() -%}
        {%- if not holds -%}{%- do failed.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(failed) }}
{%- endmacro %}

{#- True (a Jinja boolean) when chat data is shown. -#}
{% macro chat_data_enabled() -%}
    {{ return(chat_data_disabled_reasons() | length == 0) }}
{%- endmacro %}

{#- The switch as a SQL boolean literal, for the `where` clause of every `si_chat_*` and
    `si_insights_*` mart: when it is `false` the mart is built empty with all its columns. -#}
{% macro chat_data_shown() -%}
    {{ return('true' if chat_data_enabled() else 'false') }}
{%- endmacro %}
