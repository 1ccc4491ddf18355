-- One row per Web Chat candidate (docs/rules.md, "Touchpoint candidates"): every valid
-- `email_captured` Drift event, with its hosting session's data, one boolean flag per suppression
-- rule and the reason recorded (docs/rules.md, "Deduplication"), null when the chat is kept. When
-- several rules apply, the first in this order wins: not_first_in_session, no_known_person,
-- web_chat_disabled, before_web_chat_enabled, chat_tracking_disabled.
{%- set t0 = web_chat_enabled_at() %}

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

chats as (
    select
        ranked.*,
        sessions.visitor_id,
        sessions.landing_page_url,
        sessions.referrer_url,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        -- a chat whose session is unknown has tracking on
        coalesce(sessions.is_chat_tracking_enabled, true) as is_chat_tracking_enabled,
        known_emails.email is not null as is_known_email
    from ranked
    left join sessions
        on ranked.session_id = sessions.session_id
    left join known_emails
        on ranked.email = known_emails.email
),

flags as (
    select
        chats.*,
        chats.rank_in_session > 1 as is_not_first_in_session,
        not chats.is_known_email as has_no_known_person,
        {{ t0 }} is null as is_web_chat_disabled,
        coalesce(chats.occurred_at < {{ t0 }}, false) as is_before_web_chat_enabled,
        not chats.is_chat_tracking_enabled as is_chat_tracking_disabled
    from chats
),

reasons as (
    select
        *,
        case
            when is_not_first_in_session then 'not_first_in_session'
            when has_no_known_person then 'no_known_person'
            when is_web_chat_disabled then 'web_chat_disabled'
            when is_before_web_chat_enabled then 'before_web_chat_enabled'
            when is_chat_tracking_disabled then 'chat_tracking_disabled'
        end as suppression_reason
    from flags
),

final as (
    select
        {{ surrogate_key(["'Web Chat'", 'event_id']) }} as user_touchpoint_id,
        'Web Chat' as touchpoint_type,
        occurred_at as touchpoint_at,
        email,
        session_id,
        visitor_id,
        event_id as chat_event_id,
        conversation_id as chat_conversation_id,
        page_url as form_page,
        landing_page_url as landing_page,
        referrer_url as referrer_page,
        utm_source,
        utm_medium,
        utm_campaign,
        is_chat_tracking_enabled,
        is_not_first_in_session,
        has_no_known_person,
        is_web_chat_disabled,
        is_before_web_chat_enabled,
        is_chat_tracking_disabled,
        suppression_reason
    from reasons
)

select * from final
