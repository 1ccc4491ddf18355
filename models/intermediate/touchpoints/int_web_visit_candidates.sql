-- One row per Web Visit (docs/rules.md, "Touchpoint candidates"): the anonymous first touch. For
-- each email that a kept Web Chat identified on a visitor, the visitor's first session (by
-- session_started_at, then session_id), unless that session already carries a kept Web Chat of
-- the same email. Never suppressed: a Web Visit does not exist without a kept Web Chat, so this
-- model has no suppression flags.
with

kept_chats as (
    select * from {{ ref('int_web_chat_candidates') }}
    where suppression_reason is null
        and visitor_id is not null
),

sessions as (
    select * from {{ ref('stg_web__sessions') }}
),

identified_visitors as (
    select distinct
        email,
        visitor_id
    from kept_chats
),

first_sessions as (
    select
        session_id,
        visitor_id,
        session_started_at,
        landing_page_url,
        referrer_url,
        utm_source,
        utm_medium,
        utm_campaign,
        row_number() over (
            partition by visitor_id
            order by session_started_at, session_id
        ) as session_rank
    from sessions
    where visitor_id in (select identified_visitors.visitor_id from identified_visitors)
),

visits as (
    select
        identified_visitors.email,
        first_sessions.*
    from identified_visitors
    inner join first_sessions
        on identified_visitors.visitor_id = first_sessions.visitor_id
        and first_sessions.session_rank = 1
),

final as (
    select
        {{ surrogate_key(["'Web Visit'", 'visits.session_id', 'visits.email']) }}
            as user_touchpoint_id,
        'Web Visit' as touchpoint_type,
        visits.session_started_at as touchpoint_at,
        visits.email,
        visits.session_id,
        visits.visitor_id,
        visits.landing_page_url as landing_page,
        visits.referrer_url as referrer_page,
        visits.utm_source,
        visits.utm_medium,
        visits.utm_campaign,
        cast(null as {{ text_type() }}) as suppression_reason
    from visits
    left join kept_chats
        on visits.session_id = kept_chats.session_id
        and visits.email = kept_chats.email
    -- the chat is then the first touch
    where kept_chats.user_touchpoint_id is null
)

select * from final
