-- One row per raw row of raw.crm_campaigns: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_campaigns') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('crm', 'crm_campaigns'), 'campaign_id') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_date('touchpoint_start_date') }} as touchpoint_start_date__parsed,
        {{ parse_date('touchpoint_end_date') }} as touchpoint_end_date__parsed
    from source
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('crm_campaigns')) }} as raw_text,
        {{ reject_reason(
            required_check('campaign_id')
            + required_check('touchpoint_sync_type')
            + [("lower(trim(touchpoint_sync_type)) not in "
                ~ "('include_all', 'include_responded', 'exclude_all')",
                'unknown_touchpoint_sync_type')]
            + date_check('touchpoint_start_date')
            + date_check('touchpoint_end_date')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('campaign_id') }} as campaign_id,
        {{ nullif_blank('campaign_name') }} as campaign_name,
        {{ nullif_blank('campaign_type') }} as campaign_type,
        -- the canonical spelling, whatever the case of the input
        case lower(trim(touchpoint_sync_type))
            when 'include_all' then 'Include_All'
            when 'include_responded' then 'Include_Responded'
            when 'exclude_all' then 'Exclude_All'
        end as touchpoint_sync_type,
        {{ parsed_date('touchpoint_start_date') }} as touchpoint_start_date,
        {{ parsed_date('touchpoint_end_date') }} as touchpoint_end_date,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ row_outcome_columns(nullif_blank('campaign_id'), none, parse_boolean('is_deleted')) }}
    from checked
)

select * from final
