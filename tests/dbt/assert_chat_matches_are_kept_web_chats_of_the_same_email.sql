-- docs/rules.md, "Deduplication": a suppression names a matched Web Chat only for a chat cut, and
-- that Web Chat is kept (a row of marts.fct_touchpoints) and has the email of the suppressed
-- candidate's own lead or contact record. Returns the suppressions that break this.
with

suppressions as (
    select * from {{ ref('touchpoint_suppressions') }}
    where matched_user_touchpoint_id is not null
),

people as (
    select * from {{ ref('int_people') }}
),

kept_web_chats as (
    select distinct
        user_touchpoint_id,
        email
    from {{ ref('fct_touchpoints') }}
    where touchpoint_type = 'Web Chat'
),

checked as (
    select
        suppressions.user_touchpoint_id,
        suppressions.suppression_reason,
        suppressions.matched_user_touchpoint_id,
        people.email as record_email,
        kept_web_chats.email as web_chat_email
    from suppressions
    left join people
        on people.person_type = case
            when suppressions.contact_id is not null then 'contact' else 'lead'
        end
        and coalesce(suppressions.contact_id, suppressions.lead_id) = people.person_id
    left join kept_web_chats
        on suppressions.matched_user_touchpoint_id = kept_web_chats.user_touchpoint_id
),

final as (
    select * from checked
    where
        suppression_reason not in (
            'chat_campaign_after_web_chat_enabled', 'chat_activity_after_web_chat_enabled'
        )
        or web_chat_email is null
        or record_email is null
        or web_chat_email != record_email
)

select * from final
