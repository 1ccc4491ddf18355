-- One row per raw row of raw.crm_accounts: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_accounts') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('crm', 'crm_accounts')) }}
),

parsed as (
    select
        {{ nullif_blank('account_id') }} as account_id,
        {{ nullif_blank('account_name') }} as account_name,
        {{ nullif_blank('website') }} as website,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ raw_row_text(raw_table_columns('crm_accounts')) }} as raw_row,
        {{ reject_reason(required_check('account_id') + boolean_check('is_deleted')) }}
            as reject_reason
    from source
),

-- the parsed rows and, in an incremental build, the rows held for the same ids
all_rows as (
    {{ rows_sharing_new_ids('parsed', 'account_id') }}
),

final as (
    select
        *,
        account_id as source_row_id,
        coalesce(account_id, '') as row_key,
        {{ row_outcome('account_id', none, 'is_deleted') }} as row_outcome
    from all_rows
)

select * from final
