-- One row per raw row of raw.crm_leads: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_leads') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('crm', 'crm_leads') }}
),

parsed as (
    select
        {{ nullif_blank('lead_id') }} as lead_id,
        -- an invalid email is not a rejection here: it becomes null (SPEC 3)
        {{ valid_email_or_null('email') }} as email,
        {{ nullif_blank('first_name') }} as first_name,
        {{ nullif_blank('last_name') }} as last_name,
        {{ nullif_blank('company') }} as company,
        {{ parse_timestamp('created_at') }} as created_at,
        coalesce({{ parse_boolean('is_converted') }}, false) as is_converted,
        {{ nullif_blank('converted_contact_id') }} as converted_contact_id,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        {{ raw_row_text(['lead_id', 'email', 'first_name', 'last_name', 'company', 'created_at',
            'is_converted', 'converted_contact_id', 'is_deleted']) }} as raw_row,
        {{ reject_reason(
            required_check('lead_id')
            + timestamp_check('created_at')
            + boolean_check('is_converted')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from source
),

final as (
    select
        *,
        lead_id as source_row_id,
        {{ row_outcome('lead_id', 'created_at', 'is_deleted') }} as row_outcome
    from parsed
)

select * from final
