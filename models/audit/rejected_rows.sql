-- One row per raw row that staging could not use (docs/rules.md, "Bad input and row accounting"):
-- its table, id (null when missing), the first reason found, and the raw values joined by `|` in
-- the column order of docs/rules.md ("Timestamps and values").
{%- for source_table, base_model in raw_table_base_models() %}
{%- if loop.first %}
with
{% endif %}
{{ source_table }} as (
    select
        '{{ source_table }}' as source_table,
        cast(source_row_id as {{ text_type() }}) as source_row_id,
        reject_reason as reason,
        raw_row
    from {{ ref(base_model) }}
    where row_outcome = 'rejected'
),
{% endfor %}
final as (
    {%- for source_table, base_model in raw_table_base_models() %}
    select * from {{ source_table }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from final
