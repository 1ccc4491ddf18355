{#- The BI reader (docs/rules.md, "Configuration"): on PostgreSQL, when the variable `bi_reader_role`
    names a role, that role may read the marts and nothing else. dbt grants `select` on every mart
    (`+grants` in dbt_project.yml, which reads the variable from --vars, and in the YAML of
    the time spine, which also lands in marts); this hook, run at the
    end of every invocation, grants `usage` on the marts schema, without which the role could not
    reach the tables. Nothing is granted on raw, staging, intermediate or audit. Other engines
    have no such grants: DuckDB has no roles, and Spark's depend on the catalog. -#}

{#- The validated role name, or none. -#}
{% macro bi_reader_role() -%}
    {%- set value = var('bi_reader_role', none) -%}
    {%- if value is none or (value is string and value | trim == '') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is not string or not is_plain_identifier(value | trim) -%}
        {{ config_error('bi_reader_role', "must be a role name (letters, digits, underscores) or "
            ~ "null, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value | trim) }}
{%- endmacro %}

{% macro grant_bi_reader_schema_usage() -%}
    {{ return(adapter.dispatch('grant_bi_reader_schema_usage', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__grant_bi_reader_schema_usage() -%}
    {%- do bi_reader_role() -%}
    select 1 as no_grants_on_this_engine
{%- endmacro %}

{% macro postgres__grant_bi_reader_schema_usage() -%}
    {%- set role = bi_reader_role() -%}
    {%- if role is none -%}
        {{ return('select 1 as no_bi_reader_role') }}
    {%- endif -%}
    {%- if execute -%}
        {%- set grants = [] -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.package_name == project_name
                and node.config.materialized != 'ephemeral' and node.config.enabled
                and node.schema == prefixed_schema('marts') -%}
            {%- if role not in node.config.grants.get('select', []) -%}
                {{ config_error('bi_reader_role', "is '" ~ role ~ "' but the marts do not grant it "
                    ~ "select: set bi_reader_role with --vars (dbt_project.yml reads only --vars "
                    ~ "for grants)") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if execute and not adapter.check_schema_exists(target.database, prefixed_schema('marts')) -%}
        {{ return('select 1 as no_marts_schema_yet') }}
    {%- endif -%}
    grant usage on schema {{ adapter.quote(prefixed_schema('marts')) }} to {{ adapter.quote(role) }}
{%- endmacro %}
