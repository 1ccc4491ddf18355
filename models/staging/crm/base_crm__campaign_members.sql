-- One row per raw row of raw.crm_campaign_members: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_campaign_members') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('crm', 'crm_campaign_members'), 'campaign_member_id') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('first_responded_at') }} as first_responded_at__parsed,
        {{ parse_timestamp('buyer_touchpoint_at') }} as buyer_touchpoint_at__parsed,
        {{ parse_timestamp('created_at') }} as created_at__parsed
    from source
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('crm_campaign_members')) }} as raw_text,
        {{ reject_reason(
            required_check('campaign_member_id')
            + required_check('campaign_id')
            + boolean_check('has_responded')
            + timestamp_check('first_responded_at')
            + timestamp_check('buyer_touchpoint_at')
            + timestamp_check('created_at', required=true)
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('campaign_member_id') }} as campaign_member_id,
        {{ nullif_blank('campaign_id') }} as campaign_id,
        {{ nullif_blank('lead_id') }} as lead_id,
        {{ nullif_blank('contact_id') }} as contact_id,
        {{ nullif_blank('status') }} as status,
        coalesce({{ parse_boolean('has_responded') }}, false) as has_responded,
        {{ parsed_timestamp('first_responded_at') }} as first_responded_at,
        {{ parsed_timestamp('buyer_touchpoint_at') }} as buyer_touchpoint_at,
        {{ parsed_timestamp('created_at') }} as created_at,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ row_outcome_columns(
            nullif_blank('campaign_member_id'),
            parsed_timestamp('created_at'),
            parse_boolean('is_deleted')
        ) }}
    from checked
)

select * from final
