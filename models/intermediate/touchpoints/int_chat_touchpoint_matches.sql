-- One row per CRM chat touch (a member of a chat campaign, a task of an activity rule that tracks
-- web chat) of a known person that has a kept Web Chat of the same person within
-- `chat_match_window_hours`: the nearest such Web Chat (docs/rules.md, "Deduplication"). "The
-- same person": the Web Chat's email equals the email of the member's or task's lead or contact
-- record. The time compared is the member's touchpoint_at and the task's created_at (the time the
-- chat cut reads). Nearest: the smallest absolute difference; ties: the earlier Web Chat, then the
-- smaller user_touchpoint_id. Touches without such a Web Chat have no row.
{%- set window = chat_match_window() %}

with

memberships as (
    select * from {{ ref('int_crm_campaign_memberships') }}
    where {{ is_chat_campaign_type('campaign_type') }}
        and person_id is not null
),

tasks as (
    select * from {{ ref('int_crm_activity_tasks') }}
    where tracks_web_chat
        and person_id is not null
),

people as (
    select * from {{ ref('int_people') }}
),

kept_web_chats as (
    select
        user_touchpoint_id,
        touchpoint_at,
        email
    from {{ ref('int_web_chat_candidates') }}
    where suppression_reason is null
),

crm_chat_touches as (
    select
        user_touchpoint_id,
        'CRM Campaign' as touchpoint_type,
        person_type,
        person_id,
        touchpoint_at as compared_at
    from memberships

    union all

    select
        user_touchpoint_id,
        'CRM Activity' as touchpoint_type,
        person_type,
        person_id,
        created_at as compared_at
    from tasks
),

-- the email of the touch's own record; a record without an email matches nothing
touch_emails as (
    select
        crm_chat_touches.*,
        people.email
    from crm_chat_touches
    inner join people
        on crm_chat_touches.person_type = people.person_type
        and crm_chat_touches.person_id = people.person_id
    where people.email is not null
),

-- an interval join per email: equal emails first, then the window (both edges included)
pairs as (
    select
        touch_emails.user_touchpoint_id,
        touch_emails.touchpoint_type,
        touch_emails.compared_at,
        kept_web_chats.user_touchpoint_id as matched_user_touchpoint_id,
        kept_web_chats.touchpoint_at as matched_touchpoint_at
    from touch_emails
    inner join kept_web_chats
        on touch_emails.email = kept_web_chats.email
    where kept_web_chats.touchpoint_at >= touch_emails.compared_at - {{ window }}
        and kept_web_chats.touchpoint_at <= touch_emails.compared_at + {{ window }}
),

ranked as (
    select
        pairs.*,
        row_number() over (
            partition by pairs.user_touchpoint_id
            order by
                greatest(pairs.matched_touchpoint_at, pairs.compared_at)
                - least(pairs.matched_touchpoint_at, pairs.compared_at),
                pairs.matched_touchpoint_at,
                pairs.matched_user_touchpoint_id
        ) as match_rank
    from pairs
),

final as (
    select
        user_touchpoint_id,
        touchpoint_type,
        compared_at,
        matched_user_touchpoint_id,
        matched_touchpoint_at
    from ranked
    where match_rank = 1
)

select * from final
