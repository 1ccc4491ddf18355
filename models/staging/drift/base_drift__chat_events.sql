-- One row per raw row of raw.drift_chat_events: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('drift_chat_events') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('drift', 'drift_chat_events'), 'event_id') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('occurred_at') }} as occurred_at__parsed
    from source
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('drift_chat_events')) }} as raw_text,
        {{ reject_reason(
            required_check('event_id')
            + required_check('conversation_id')
            + required_check('event_type')
            + [("lower(trim(event_type)) not in ('conversation_started', 'message_sent', "
                ~ "'email_captured', 'conversation_closed')", 'unknown_event_type')]
            + timestamp_check('occurred_at', required=true)
            + [("lower(trim(event_type)) = 'email_captured' and " ~ nullif_blank('email')
                ~ " is null", 'missing_email'),
               ("lower(trim(event_type)) = 'email_captured' and not " ~ is_valid_email('email'),
                'invalid_email')]
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('event_id') }} as event_id,
        {{ nullif_blank('conversation_id') }} as conversation_id,
        {{ nullif_blank('session_id') }} as session_id,
        lower(trim(event_type)) as event_type,
        {{ parsed_timestamp('occurred_at') }} as occurred_at,
        {{ valid_email_or_null('email') }} as email,
        {{ nullif_blank('page_url') }} as page_url,
        loaded_at,
        {{ row_outcome_columns(nullif_blank('event_id'), parsed_timestamp('occurred_at')) }}
    from checked
)

select * from final
