-- One row: the Sales Insight chat switch and its prerequisites (docs/rules.md, "Chat activities"),
-- decided by
-- macros/chat_switch.sql. Only the presence of the API secret key is recorded, never its value.
{%- set prerequisites = dict(chat_data_prerequisites()) %}
{%- set disabled_reasons = chat_data_disabled_reasons() %}
with

final as (
    select
        cast('{{ msi_package_version_text() | replace("'", "''") }}' as {{ text_type() }})
            as msi_package_version,
        {%- for name, holds in prerequisites.items() %}
        {{ 'true' if holds else 'false' }} as {{ name }},
        {%- endfor %}
        {{ chat_data_shown() }} as chat_data_enabled,
        -- the failed prerequisites in the order of docs/rules.md ("Chat activities"), joined by ',
        -- '; empty when enabled
        cast('{{ disabled_reasons | join(", ") }}' as {{ text_type() }}) as disabled_reasons
)

select * from final
