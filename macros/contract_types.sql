{#- Contract types on Spark. The models' YAML spells column types as DuckDB and PostgreSQL both read
    them (`text`, `double precision`, `numeric(38, 6)`): PostgreSQL writes them into its
    `create table` and neither engine knows `string`. Spark checks a contract by selecting
    `cast(null as <type>)` for every column through dbt's `cast()`, and knows neither `text` nor
    `double precision`; this override of that dispatched macro reads the two as `string` and
    `double` (and `numeric` as `decimal`), and leaves every other type as written. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{#- The Spark spelling of a type written for DuckDB and PostgreSQL. -#}
{% macro spark_type(type) -%}
    {%- set normalized = type | trim | lower -%}
    {%- if normalized in ('text', 'varchar') -%}
        {{ return('string') }}
    {%- elif normalized == 'double precision' -%}
        {{ return('double') }}
    {%- elif normalized.startswith('numeric') -%}
        {{ return('decimal' ~ normalized[7:]) }}
    {%- endif -%}
    {{ return(type) }}
{%- endmacro %}

{#- Seeds on Spark. The seeds' YAML types every column `varchar`, which DuckDB and PostgreSQL read as
    text of any length and Spark refuses without a length: dbt-spark's `create table` receives the
    seed with its `column_types` in Spark's spelling. The rows are inserted here as SQL literals:
    in session mode dbt-spark's own insert pastes each value between quotes unescaped, so that
    `O'Brien` breaks the statement and an empty cell arrives as the text `None`. -#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {{ return(dbt.spark__create_csv_table(spark_seed_node(model), agate_table)) }}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = spark_seed_node(model)['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column in agate_table.column_names -%}
        {%- do types.append(column_types.get(column, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            (
                {%- for value in row -%}
                    cast({{ spark_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
            ){% if not loop.last %},{% endif %}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=true) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- A seed value as a Spark SQL literal: null, a number, a boolean, or a string whose backslashes and
    quotes are escaped (Spark reads backslash escapes in string literals). -#}
{% macro spark_literal(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is boolean -%}
        {{ return('true' if value else 'false') }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- endif -%}
    {{ return("'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'") }}
{%- endmacro %}

{#- A copy of a seed node whose `column_types` are spelled for Spark. -#}
{% macro spark_seed_node(model) -%}
    {%- set column_types = {} -%}
    {%- for column, type in model['config'].get('column_types', {}).items() -%}
        {%- do column_types.update({column: spark_type(type)}) -%}
    {%- endfor -%}
    {%- set config = {} -%}
    {%- do config.update(model['config']) -%}
    {%- do config.update({'column_types': column_types}) -%}
    {%- set node = {} -%}
    {%- do node.update(model) -%}
    {%- do node.update({'config': config}) -%}
    {{ return(node) }}
{%- endmacro %}
