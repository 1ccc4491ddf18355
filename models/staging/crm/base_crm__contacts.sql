-- One row per raw row of raw.crm_contacts: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_contacts') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('crm', 'crm_contacts')) }}
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
        loaded_at,
        {{ raw_row_text(raw_table_columns('crm_contacts')) }} as raw_row,
        {{ reject_reason(
            required_check('contact_id')
            + timestamp_check('created_at')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from parsed_values
),

-- the parsed rows and, in an incremental build, the rows held for the same ids
all_rows as (
    {{ rows_sharing_new_ids('parsed', 'contact_id') }}
),

final as (
    select
        *,
        contact_id as source_row_id,
        coalesce(contact_id, '') as row_key,
        {{ row_outcome('contact_id', 'created_at', 'is_deleted') }} as row_outcome
    from all_rows
)

select * from final
