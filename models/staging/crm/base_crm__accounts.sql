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
    {{ raw_rows_to_parse(source('crm', 'crm_accounts'), 'account_id') }}
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('crm_accounts')) }} as raw_text,
        {{ reject_reason(required_check('account_id') + boolean_check('is_deleted')) }}
            as reject_reason
    from source
),

final as (
    select
        {{ nullif_blank('account_id') }} as account_id,
        {{ nullif_blank('account_name') }} as account_name,
        {{ nullif_blank('website') }} as website,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ row_outcome_columns(nullif_blank('account_id'), none, parse_boolean('is_deleted')) }}
    from checked
)

select * from final
