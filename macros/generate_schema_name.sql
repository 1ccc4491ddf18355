{#- Where each node lands (docs/rules.md, "Configuration"). Models land in the schema their folder
    names (staging, intermediate, marts, audit), configuration seeds in config, the sample raw
    seeds in the raw schema the sources read (`raw_source_schema()`); every one of them, and the
    target's own schema (used when no custom schema is set), takes `schema_prefix`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if is_sample_raw_seed(node) -%}
        {{ raw_source_schema() }}
    {%- elif custom_schema_name is none -%}
        {{ prefixed_schema(target.schema) }}
    {%- else -%}
        {{ prefixed_schema(custom_schema_name | trim) }}
    {%- endif -%}
{%- endmacro %}

{#- The sample raw seeds land in `raw_database` when it is set; everything else in the target's
    own database (or the node's configured one). -#}
{% macro generate_database_name(custom_database_name, node) -%}
    {%- if is_sample_raw_seed(node) and raw_database() is not none -%}
        {{ raw_database() }}
    {%- elif custom_database_name is none -%}
        {{ target.database }}
    {%- else -%}
        {{ custom_database_name | trim }}
    {%- endif -%}
{%- endmacro %}
