-- One row per Web Chat candidate (SPEC 5.2): every valid `email_captured` Drift event, with its
-- hosting session's data and its suppression reason (SPEC 5.3), null when the chat is kept.
-- Reasons, first applicable wins: not_first_in_session, no_known_person, web_chat_disabled,
-- before_web_chat_enabled, chat_tracking_disabled.
with

chat_events as (
    select * from {{ ref('stg_drift__chat_events') }}
    where event_type = 'email_captured'
),

sessions as (
    select * from {{ ref('stg_web__sessions') }}
),

people as (
    select * from {{ ref('int_people') }}
),

known_emails as (
    select distinct email from people
    where email is not null
),

ranked as (
    select
        chat_events.*,
        -- only the first chat of a session can become a touchpoint (ties: smallest event_id)
        row_number() over (
            partition by coalesce(chat_events.session_id, chat_events.event_id)
            order by chat_events.occurred_at, chat_events.event_id
        ) as rank_in_session
    from chat_events
),

final as (
    select
        {{ surrogate_key(["'Web Chat'", 'ranked.event_id']) }} as user_touchpoint_id,
        'Web Chat' as touchpoint_type,
        ranked.occurred_at as touchpoint_at,
        ranked.email,
        ranked.session_id,
        sessions.visitor_id,
        ranked.event_id as chat_event_id,
        ranked.conversation_id as chat_conversation_id,
        ranked.page_url as form_page,
        sessions.landing_page_url as landing_page,
        sessions.referrer_url as referrer_page,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        -- a chat whose session is unknown has tracking on
        coalesce(sessions.is_chat_tracking_enabled, true) as is_chat_tracking_enabled,
        case
            when ranked.rank_in_session > 1 then 'not_first_in_session'
            when known_emails.email is null then 'no_known_person'
            when {{ web_chat_enabled_at() }} is null then 'web_chat_disabled'
            when ranked.occurred_at < {{ web_chat_enabled_at() }} then 'before_web_chat_enabled'
            when not coalesce(sessions.is_chat_tracking_enabled, true)
                then 'chat_tracking_disabled'
        end as suppression_reason
    from ranked
    left join sessions
        on ranked.session_id = sessions.session_id
    left join known_emails
        on ranked.email = known_emails.email
)

select * from final
