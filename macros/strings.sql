{#- Text helpers that every engine spells differently. -#}

{#- Concatenation that treats null as empty text, for keys and raw-row renderings. -#}
{% macro concat_text(exprs, separator="'|'") -%}
    {%- for e in exprs -%}
        coalesce(cast({{ e }} as {{ text_type() }}), '')
        {%- if not loop.last %} || {{ separator }} || {% endif -%}
    {%- endfor -%}
{%- endmacro %}

{% macro text_type() -%}
    {{ return(adapter.dispatch('text_type', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__text_type() -%}varchar{%- endmacro %}

{% macro postgres__text_type() -%}text{%- endmacro %}

{% macro spark__text_type() -%}string{%- endmacro %}

{#- A deterministic hashed key of several columns, null-safe: md5 of the values joined by `|`. -#}
{% macro surrogate_key(exprs) -%}
    md5({{ concat_text(exprs) }})
{%- endmacro %}

{#- Escapes `%`, `_` and the escape character `!` so that `expr` is matched literally by
    `like ... escape '!'`. Rule values go through here as data: they never become SQL text. -#}
{% macro like_literal(expr) -%}
    replace(replace(replace({{ expr }}, '!', '!!'), '%', '!%'), '_', '!_')
{%- endmacro %}

{#- Turns a pattern in which `*` means "anything" into a `like ... escape '!'` pattern. -#}
{% macro wildcard_to_like(expr) -%}
    replace({{ like_literal(expr) }}, '*', '%')
{%- endmacro %}

{#- Case-insensitive `like` with `!` as the escape character. -#}
{% macro ilike_escaped(expr, like_pattern) -%}
    (lower({{ expr }}) like lower({{ like_pattern }}) escape '!')
{%- endmacro %}

{#- One row per item of a list of `delimiter`-separated items (`delimiter`: one literal character),
    however many items the list has: the `columns` of `relation`, then `list_position` (1-based,
    the item's place in the list) and `list_item` (the item, trimmed). Each engine splits natively.
    An empty list gives one empty item; callers drop empty items. -#}
{% macro split_list_items(relation, columns, list_column, delimiter) -%}
    {{ return(adapter.dispatch('split_list_items', 'chat_touchpoints')(
        relation, columns, list_column, delimiter)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL: the list as an array, unnested in `from`, numbered by
    `with ordinality`. -#}
{% macro default__split_list_items(relation, columns, list_column, delimiter) -%}
    select
        {%- for column in columns %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        cast(items.list_position as integer) as list_position,
        trim(items.list_item) as list_item
    from {{ relation }}
    cross join
        unnest({{ split_to_array(relation ~ '.' ~ list_column, delimiter) }})
        with ordinality as items (list_item, list_position)
{%- endmacro %}

{#- A text split on a literal one-character `delimiter` into an array of texts. -#}
{% macro split_to_array(expr, delimiter) -%}
    {{ return(adapter.dispatch('split_to_array', 'chat_touchpoints')(expr, delimiter)) }}
{%- endmacro %}

{#- PostgreSQL (and the SQL standard's name). -#}
{% macro default__split_to_array(expr, delimiter) -%}
    string_to_array({{ expr }}, {{ sql_text_literal(delimiter) }})
{%- endmacro %}

{% macro duckdb__split_to_array(expr, delimiter) -%}
    string_split({{ expr }}, {{ sql_text_literal(delimiter) }})
{%- endmacro %}

{#- Spark: `split` takes a regular expression (the delimiter goes into a character class) and
    `posexplode` numbers from 0. -#}
{% macro spark__split_list_items(relation, columns, list_column, delimiter) -%}
    select
        {%- for column in columns %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        cast(items.list_position + 1 as integer) as list_position,
        trim(items.list_item) as list_item
    from {{ relation }}
    lateral view posexplode(
        split({{ relation }}.{{ list_column }}, {{ sql_text_literal('[' ~ delimiter ~ ']') }})
    ) items as list_position, list_item
{%- endmacro %}

{#- A Jinja text as a SQL text literal (single quotes doubled). -#}
{% macro sql_text_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro split_part(expr, delimiter, position) -%}
    {{ return(adapter.dispatch('split_part', 'chat_touchpoints')(expr, delimiter, position)) }}
{%- endmacro %}

{% macro default__split_part(expr, delimiter, position) -%}
    split_part({{ expr }}, {{ delimiter }}, {{ position }})
{%- endmacro %}

{#- The host name of a URL, lower-cased, without scheme, user, port or path
    (`https://www.Google.com/search?q=x` -> `www.google.com`). -#}
{% macro url_host(expr) -%}
    nullif({{ regex_replace_all(
        regex_replace_all('lower(trim(' ~ expr ~ '))', "'^[a-z][a-z0-9+.-]*://([^/@]*@)?'", "''"),
        "'[:/?#].*$'", "''") }}, '')
{%- endmacro %}

{#- The host of an account website, without a leading `www.` (`https://www.Acme.com/` -> `acme.com`),
    for lead-to-account matching (docs/rules.md, "People"). -#}
{% macro website_host(expr) -%}
    nullif({{ regex_replace_all(url_host(expr), "'^www\\.'", "''") }}, '')
{%- endmacro %}

{#- The labels of the flags that hold, joined by `, ` in the given order; null when none holds.
    `flags` is a list of (boolean column, label) pairs. -#}
{% macro join_flags(flags) -%}
    nullif(substr(
        {%- for column, label in flags %}
        {%- if not loop.first %} ||{% endif %}
        case when {{ column }} then ', {{ label }}' else '' end
        {%- endfor %}, 3), '')
{%- endmacro %}

{#- A column as trimmed text, whatever type a seed or an override file gave it. -#}
{% macro as_text(expr) -%}
    trim(cast({{ expr }} as {{ text_type() }}))
{%- endmacro %}

{#- The floating-point type of weights (`*_pct`) and revenue. -#}
{% macro float_type() -%}
    {{ return(adapter.dispatch('float_type', 'chat_touchpoints')()) }}
{%- endmacro %}

{% macro default__float_type() -%}double{%- endmacro %}

{% macro postgres__float_type() -%}double precision{%- endmacro %}

{#- The number of rows for which `condition` holds, as a bigint (0 on no rows). -#}
{% macro count_where(condition) -%}
    cast(coalesce(sum(case when {{ condition }} then 1 else 0 end), 0) as bigint)
{%- endmacro %}

{#- The order of touchpoints wherever an order matters (docs/rules.md, "Touchpoint candidates"):
    touchpoint_at, then type (Web Visit, Web Chat, CRM Campaign, CRM Activity), then the source id
    as text, then the person record's id as text; `tie_breaker` only makes the order total. -#}
{% macro journey_order(person_column, tie_breaker=none) -%}
    touchpoint_at, touchpoint_type_order, source_id, {{ person_column }}
    {%- if tie_breaker %}, {{ tie_breaker }}{% endif %}
{%- endmacro %}

{#- A select list of every column of `columns` (a list of (name, type) pairs, type `text`,
    `timestamp` or `integer`), for one branch of a `union all`: the columns named in `common`
    as they are, the others from the expressions of the mappings given after `common` (column
    name -> SQL expression; later mappings win), and a typed null for the rest. -#}
{% macro select_columns(columns, common) -%}
    {%- set expressions = {} -%}
    {%- for name in common %}{% do expressions.update({name: name}) %}{% endfor -%}
    {%- for mapping in varargs %}{% do expressions.update(mapping) %}{% endfor -%}
    select
    {%- for name, type in columns %}
        {% if expressions.get(name) == name -%}
            {{ name }}
        {%- elif name in expressions -%}
            {{ expressions[name] }} as {{ name }}
        {%- else -%}
            cast(null as {{ text_type() if type == 'text' else type }}) as {{ name }}
        {%- endif %}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
