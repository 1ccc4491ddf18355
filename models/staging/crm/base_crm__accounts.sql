-- One row per raw row of raw.crm_accounts: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_accounts') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('crm', 'crm_accounts') }}
),

parsed as (
    select
        {{ nullif_blank('account_id') }} as account_id,
        {{ nullif_blank('account_name') }} as account_name,
        {{ nullif_blank('website') }} as website,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        {{ raw_row_text(raw_table_columns('crm_accounts')) }} as raw_row,
        {{ reject_reason(required_check('account_id') + boolean_check('is_deleted')) }}
            as reject_reason
    from source
),

final as (
    select
        *,
        account_id as source_row_id,
        {{ row_outcome('account_id', none, 'is_deleted') }} as row_outcome
    from parsed
)

select * from final
