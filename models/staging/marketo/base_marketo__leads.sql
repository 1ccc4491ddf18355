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
    {{ raw_rows_to_parse(source('marketo', 'marketo_leads'), 'marketo_lead_id') }}
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('marketo_leads')) }} as raw_text,
        {{ reject_reason(required_check('marketo_lead_id')) }} as reject_reason
    from source
),

final as (
    select
        {{ nullif_blank('marketo_lead_id') }} as marketo_lead_id,
        -- an invalid email is not a rejection here: it becomes null (the rule book, "Timestamps and
        -- values")
        {{ valid_email_or_null('email') }} as email,
        {{ nullif_blank('sfdc_lead_id') }} as sfdc_lead_id,
        {{ nullif_blank('sfdc_contact_id') }} as sfdc_contact_id,
        loaded_at,
        -- the table has no timestamp of its own: a repeated id keeps the row sorting last (the rule
        -- book, "Bad input and row accounting")
        {{ row_outcome_columns(nullif_blank('marketo_lead_id')) }}
    from checked
)

select * from final
