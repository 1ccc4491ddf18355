-- One row per raw row of raw.crm_campaign_members: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_campaign_members') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('crm', 'crm_campaign_members') }}
),

parsed as (
    select
        {{ nullif_blank('campaign_member_id') }} as campaign_member_id,
        {{ nullif_blank('campaign_id') }} as campaign_id,
        {{ nullif_blank('lead_id') }} as lead_id,
        {{ nullif_blank('contact_id') }} as contact_id,
        {{ nullif_blank('status') }} as status,
        coalesce({{ parse_boolean('has_responded') }}, false) as has_responded,
        {{ parse_timestamp('first_responded_at') }} as first_responded_at,
        {{ parse_timestamp('buyer_touchpoint_at') }} as buyer_touchpoint_at,
        {{ parse_timestamp('created_at') }} as created_at,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        {{ raw_row_text(['campaign_member_id', 'campaign_id', 'lead_id', 'contact_id', 'status',
            'has_responded', 'first_responded_at', 'buyer_touchpoint_at', 'created_at',
            'is_deleted']) }} as raw_row,
        {{ reject_reason(
            required_check('campaign_member_id')
            + required_check('campaign_id')
            + boolean_check('has_responded')
            + timestamp_check('first_responded_at')
            + timestamp_check('buyer_touchpoint_at')
            + timestamp_check('created_at', required=true)
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from source
),

final as (
    select
        *,
        campaign_member_id as source_row_id,
        {{ row_outcome('campaign_member_id', 'created_at', 'is_deleted') }} as row_outcome
    from parsed
)

select * from final
