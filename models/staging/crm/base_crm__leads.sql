-- One row per raw row of raw.crm_leads: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_leads') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('crm', 'crm_leads'), 'lead_id') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('created_at') }} as created_at__parsed
    from source
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('crm_leads')) }} as raw_text,
        {{ reject_reason(
            required_check('lead_id')
            + timestamp_check('created_at')
            + boolean_check('is_converted')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('lead_id') }} as lead_id,
        -- an invalid email is not a rejection here: it becomes null (the rule book, "Timestamps and
        -- values")
        {{ valid_email_or_null('email') }} as email,
        {{ nullif_blank('first_name') }} as first_name,
        {{ nullif_blank('last_name') }} as last_name,
        {{ nullif_blank('company') }} as company,
        {{ parsed_timestamp('created_at') }} as created_at,
        coalesce({{ parse_boolean('is_converted') }}, false) as is_converted,
        {{ nullif_blank('converted_contact_id') }} as converted_contact_id,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ row_outcome_columns(
            nullif_blank('lead_id'), parsed_timestamp('created_at'), parse_boolean('is_deleted')
        ) }}
    from checked
)

select * from final
