-- One row per Drift chat event: valid and deduplicated.
with

base as (
    select * from {{ ref('base_drift__chat_events') }}
),

final as (
    select
        event_id,
        conversation_id,
        session_id,
        event_type,
        occurred_at,
        email,
        page_url
    from base
    where row_outcome = 'accepted'
)

select * from final
