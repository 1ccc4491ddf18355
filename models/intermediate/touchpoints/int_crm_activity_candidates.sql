-- One row per CRM Activity candidate (docs/rules.md, "Touchpoint candidates"): every task of
-- `int_crm_activity_tasks`, with one boolean flag per suppression rule and the reason recorded
-- (docs/rules.md, "Deduplication"), null when the candidate is kept. When several rules apply,
-- the first in this order wins: no_known_person, chat_activity_after_web_chat_enabled.
{%- set matched_mode = chat_dedup_mode() == 'matched' %}

with

activity_tasks as (
    select * from {{ ref('int_crm_activity_tasks') }}
),

chat_matches as (
    select * from {{ ref('int_chat_touchpoint_matches') }}
),

flags as (
    select
        activity_tasks.*,
        chat_matches.matched_user_touchpoint_id as nearest_web_chat_id,
        activity_tasks.person_id is null as has_no_known_person,
        -- a task of a rule that tracks web chat, created at or after t0 (always created_at,
        -- whatever the rule's date_field)
        coalesce(
            activity_tasks.tracks_web_chat
            and activity_tasks.created_at >= {{ web_chat_enabled_at() }},
            false
        ) as is_chat_activity_after_enable,
        -- a kept Web Chat of the same person lies within chat_match_window_hours
        chat_matches.user_touchpoint_id is not null as has_matched_web_chat
    from activity_tasks
    left join chat_matches
        on activity_tasks.user_touchpoint_id = chat_matches.user_touchpoint_id
),

reasons as (
    select
        *,
        case
            when has_no_known_person then 'no_known_person'
            -- cutover mode: always; matched mode: only beside a kept Web Chat of the same person
            when is_chat_activity_after_enable
                and {{ 'has_matched_web_chat' if matched_mode else 'true' }}
                then 'chat_activity_after_web_chat_enabled'
        end as suppression_reason
    from flags
),

final as (
    select
        user_touchpoint_id,
        'CRM Activity' as touchpoint_type,
        touchpoint_at,
        person_type,
        person_id,
        lead_id,
        contact_id,
        crm_task_id,
        activity_rule_id,
        campaign_name,
        task_type,
        has_no_known_person,
        is_chat_activity_after_enable,
        has_matched_web_chat,
        suppression_reason,
        -- the Web Chat this candidate duplicates, for a chat cut only
        case
            when suppression_reason = 'chat_activity_after_web_chat_enabled'
                then nearest_web_chat_id
        end as matched_user_touchpoint_id
    from reasons
)

select * from final
