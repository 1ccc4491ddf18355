-- One row per raw row of raw.web_sessions: parsed, with its reject reason and outcome (the rule
-- book, "Timestamps and values" and "Bad input and row accounting").
-- depends_on: {{ sample_seed('web_sessions') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('web', 'web_sessions'), 'session_id') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('session_started_at') }} as session_started_at__parsed
    from source
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('web_sessions')) }} as raw_text,
        {{ reject_reason(
            required_check('session_id')
            + required_check('visitor_id')
            + timestamp_check('session_started_at', required=true)
            + boolean_check('chat_tracking_enabled')
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('session_id') }} as session_id,
        {{ nullif_blank('visitor_id') }} as visitor_id,
        {{ parsed_timestamp('session_started_at') }} as session_started_at,
        {{ nullif_blank('landing_page_url') }} as landing_page_url,
        {{ nullif_blank('referrer_url') }} as referrer_url,
        {{ nullif_blank('utm_source') }} as utm_source,
        {{ nullif_blank('utm_medium') }} as utm_medium,
        {{ nullif_blank('utm_campaign') }} as utm_campaign,
        -- the data-chatEnabled attribute: absent (empty) means chat tracking is on
        coalesce({{ parse_boolean('chat_tracking_enabled') }}, true) as is_chat_tracking_enabled,
        loaded_at,
        {{ row_outcome_columns(
            nullif_blank('session_id'), parsed_timestamp('session_started_at')
        ) }}
    from checked
)

select * from final
