{#- Models land in the schema their folder names (staging, intermediate, marts, audit); seeds in raw
    and config (SPEC section 2). The target's own schema is used only when no custom schema is set. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
