{#- Where the project reads and writes (docs/rules.md, "Configuration"): the variables `raw_schema`,
    `raw_database`, `load_sample_data` and `schema_prefix`. Each has one accessor here that
    validates it; a wrong type or value stops the build with a message naming the variable.
    `validate_warehouse_configuration()` runs them all in an `on-run-start` hook. -#}

{#- A simple SQL name: letters, digits and underscores, not starting with a digit. -#}
{% macro is_plain_identifier(text) -%}
    {{ return(modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', text) is not none) }}
{%- endmacro %}

{#- `raw_schema`: the schema holding the raw tables the sources read (default `raw`). -#}
{% macro raw_schema() -%}
    {%- set value = var('raw_schema', 'raw') -%}
    {%- if value is not string or not is_plain_identifier(value | trim) -%}
        {{ config_error('raw_schema', "must be a schema name (letters, digits, underscores), got '"
            ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value | trim) }}
{%- endmacro %}

{#- `raw_database`: the database holding the raw schema; none (the default) means the target's
    own database. -#}
{% macro raw_database() -%}
    {%- set value = var('raw_database', none) -%}
    {%- if value is none or (value is string and value | trim == '') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is not string or not is_plain_identifier(value | trim) -%}
        {{ config_error('raw_database', "must be a database name (letters, digits, underscores) or "
            ~ "null, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value | trim) }}
{%- endmacro %}

{#- `load_sample_data`: whether the sample company of seeds/raw is written into the raw schema.
    Null (the default) means true on DuckDB and false on every other engine, so that a plain
    `dbt build` against a real warehouse never writes into the tables its sources read. -#}
{% macro load_sample_data() -%}
    {%- set value = var('load_sample_data', none) -%}
    {%- if value is none -%}
        {{ return(target.type == 'duckdb') }}
    {%- endif -%}
    {%- if value is not boolean -%}
        {{ config_error('load_sample_data', "must be true, false or null (the engine's default: "
            ~ "true on DuckDB only), got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- `schema_prefix`: empty (the default), or a prefix that every schema the project writes takes
    (`ci` gives `ci_staging`, `ci_marts`, ...), so that development and CI builds on a shared
    server never touch production. -#}
{% macro schema_prefix() -%}
    {%- set value = var('schema_prefix', '') -%}
    {%- if value is none or (value is string and value | trim == '') -%}
        {{ return('') }}
    {%- endif -%}
    {%- if value is not string or not is_plain_identifier(value | trim) -%}
        {{ config_error('schema_prefix', "must be empty or a name prefix (letters, digits, "
            ~ "underscores), got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value | trim) }}
{%- endmacro %}

{#- A schema the project writes, with `schema_prefix` applied. -#}
{% macro prefixed_schema(name) -%}
    {%- set prefix = schema_prefix() -%}
    {{ return(prefix ~ '_' ~ name if prefix else name) }}
{%- endmacro %}

{#- The schema the sources read: `raw_schema`, taken as the user names it; when the project loads
    the sample itself (`load_sample_data`), it writes that schema, so `schema_prefix` applies to
    it as to every schema it writes. The sources YAML files compute the same name inline (YAML
    cannot call macros); `validate_warehouse_configuration()` checks that they agree. -#}
{% macro raw_source_schema() -%}
    {{ return(prefixed_schema(raw_schema()) if load_sample_data() else raw_schema()) }}
{%- endmacro %}

{#- True for a seed of seeds/raw (the sample company's raw tables). -#}
{% macro is_sample_raw_seed(node) -%}
    {{ return(node is not none and node.resource_type == 'seed'
        and (node.original_file_path | replace('\\', '/')).startswith('seeds/raw/')) }}
{%- endmacro %}

{#- Validates the four variables and checks that the parsed project agrees with them: the sources
    read `raw_source_schema()` and the sample seeds are enabled exactly when `load_sample_data`.
    (dbt_project.yml can only read variables given with `--vars`, so a value set in its `vars:`
    block cannot switch the seeds: the error says so.) Returns a harmless query for the hook. -#}
{% macro validate_warehouse_configuration() -%}
    {%- do raw_database() -%}
    {%- set expected_schema = raw_source_schema() -%}
    {%- if execute -%}
        {%- for source in graph.sources.values() if source.package_name == project_name -%}
            {%- if source.schema != expected_schema -%}
                {{ config_error('raw_schema', "gives the raw schema '" ~ expected_schema
                    ~ "', but source " ~ source.source_name ~ "." ~ source.name ~ " reads '"
                    ~ source.schema ~ "'") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set sample_seeds = [] -%}
        {%- for node in graph.nodes.values() if is_sample_raw_seed(node) -%}
            {%- do sample_seeds.append(node.name) -%}
        {%- endfor -%}
        {%- if (sample_seeds | length > 0) != load_sample_data() -%}
            {{ config_error('load_sample_data', "is " ~ load_sample_data() ~ " but the sample seeds "
                ~ "are " ~ ("enabled" if sample_seeds else "disabled")
                ~ ": set load_sample_data with --vars (dbt_project.yml reads only --vars to "
                ~ "enable the seeds)") }}
        {%- endif -%}
    {%- endif -%}
    select 1 as warehouse_configuration_is_valid
{%- endmacro %}

{#- A `ref()` to the sample seed `name` when the project loads the sample (`load_sample_data`), else
    nothing: a `base_` model names it in a `-- depends_on:` comment, so that a build seeds the
    sample before reading it, and a build without the sample does not depend on a disabled seed. -#}
{% macro sample_seed(name) -%}
    {%- if load_sample_data() -%}
        {{ return(ref(name)) }}
    {%- endif -%}
    {{ return('(no sample: load_sample_data is false)') }}
{%- endmacro %}
