-- One row per raw table of docs/rules.md ("Timestamps and values"): how many raw rows were
-- accepted, rejected, duplicates or not
-- applicable (deleted records, non-chat Marketo activities). The four outcomes come from one
-- column of the `base_` models, so raw_rows = accepted + rejected + duplicate + not_applicable by
-- construction; a data test checks it.
{%- for source_table, base_model in raw_table_base_models() %}
{%- if loop.first %}
with
{% endif %}
{{ source_table }} as (
    select
        '{{ source_table }}' as source_table,
        cast(count(*) as bigint) as raw_rows,
        {{ count_where("row_outcome = 'accepted'") }} as accepted_rows,
        {{ count_where("row_outcome = 'rejected'") }} as rejected_rows,
        {{ count_where("row_outcome = 'duplicate'") }} as duplicate_rows,
        {{ count_where("row_outcome = 'not_applicable'") }} as not_applicable_rows
    from {{ ref(base_model) }}
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
