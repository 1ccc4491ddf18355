-- One row per web session: valid and deduplicated.
with

base as (
    select * from {{ ref('base_web__sessions') }}
),

final as (
    select
        session_id,
        visitor_id,
        session_started_at,
        landing_page_url,
        referrer_url,
        utm_source,
        utm_medium,
        utm_campaign,
        is_chat_tracking_enabled
    from base
    where row_outcome = 'accepted'
)

select * from final
