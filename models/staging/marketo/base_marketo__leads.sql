-- One row per raw row of raw.marketo_leads: parsed, with its reject reason and outcome (the rule
-- book, "Timestamps and values" and "Bad input and row accounting").
-- depends_on: {{ sample_seed('marketo_leads') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('marketo', 'marketo_leads')) }}
),

parsed as (
    select
        {{ nullif_blank('marketo_lead_id') }} as marketo_lead_id,
        -- an invalid email is not a rejection here: it becomes null (the rule book, "Timestamps and
        -- values")
        {{ valid_email_or_null('email') }} as email,
        {{ nullif_blank('sfdc_lead_id') }} as sfdc_lead_id,
        {{ nullif_blank('sfdc_contact_id') }} as sfdc_contact_id,
        loaded_at,
        {{ raw_row_text(raw_table_columns('marketo_leads')) }} as raw_row,
        {{ reject_reason(required_check('marketo_lead_id')) }} as reject_reason
    from source
),

-- the parsed rows and, in an incremental build, the rows held for the same ids
all_rows as (
    {{ rows_sharing_new_ids('parsed', 'marketo_lead_id') }}
),

final as (
    select
        *,
        marketo_lead_id as source_row_id,
        coalesce(marketo_lead_id, '') as row_key,
        -- the table has no timestamp of its own: a repeated id keeps the row sorting last (the rule
        -- book, "Bad input and row accounting")
        {{ row_outcome('marketo_lead_id') }} as row_outcome
    from all_rows
)

select * from final
