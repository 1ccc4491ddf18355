-- One row per raw row of raw.crm_contacts: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_contacts') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('crm', 'crm_contacts') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('created_at') }} as created_at__parsed
    from source
),

parsed as (
    select
        {{ nullif_blank('contact_id') }} as contact_id,
        {{ nullif_blank('account_id') }} as account_id,
        {{ valid_email_or_null('email') }} as email,
        {{ nullif_blank('first_name') }} as first_name,
        {{ nullif_blank('last_name') }} as last_name,
        {{ parsed_timestamp('created_at') }} as created_at,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        {{ raw_row_text(raw_table_columns('crm_contacts')) }} as raw_row,
        {{ reject_reason(
            required_check('contact_id')
            + timestamp_check('created_at')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        *,
        contact_id as source_row_id,
        {{ row_outcome('contact_id', 'created_at', 'is_deleted') }} as row_outcome
    from parsed
)

select * from final
