-- One row per CRM Campaign candidate (docs/rules.md, "Touchpoint candidates"): every membership of
-- `int_crm_campaign_memberships`, with one boolean flag per suppression rule and the reason
-- recorded (docs/rules.md, "Deduplication"), null when the candidate is kept. When several rules
-- apply, the first in this order wins: no_known_person, duplicate_membership, campaign_excluded,
-- not_responded, outside_campaign_dates, chat_campaign_after_web_chat_enabled.
{%- set matched_mode = chat_dedup_mode() == 'matched' %}

with

memberships as (
    select * from {{ ref('int_crm_campaign_memberships') }}
),

chat_matches as (
    select * from {{ ref('int_chat_touchpoint_matches') }}
),

flags as (
    select
        memberships.*,
        chat_matches.matched_user_touchpoint_id as nearest_web_chat_id,
        memberships.person_id is null as has_no_known_person,
        -- one touchpoint per person per campaign
        memberships.membership_rank > 1 as is_duplicate_membership,
        memberships.touchpoint_sync_type = 'Exclude_All' as is_campaign_excluded,
        coalesce(
            memberships.touchpoint_sync_type = 'Include_Responded'
            and not memberships.has_responded,
            false
        ) as is_not_responded,
        -- added before the start date or on/after the end date (midnight UTC; each optional)
        coalesce(
            memberships.created_at < {{ date_to_timestamp('memberships.touchpoint_start_date') }},
            false
        )
        or coalesce(
            memberships.created_at >= {{ date_to_timestamp('memberships.touchpoint_end_date') }},
            false
        ) as is_outside_campaign_dates,
        -- a chat campaign's touch at or after t0 (on touchpoint_at, not the date it was added)
        coalesce(
            {{ is_chat_campaign_type('memberships.campaign_type') }}
            and memberships.touchpoint_at >= {{ web_chat_enabled_at() }},
            false
        ) as is_chat_campaign_after_enable,
        -- a kept Web Chat of the same person lies within chat_match_window_hours
        chat_matches.user_touchpoint_id is not null as has_matched_web_chat
    from memberships
    left join chat_matches
        on memberships.user_touchpoint_id = chat_matches.user_touchpoint_id
),

reasons as (
    select
        *,
        case
            when has_no_known_person then 'no_known_person'
            when is_duplicate_membership then 'duplicate_membership'
            when is_campaign_excluded then 'campaign_excluded'
            when is_not_responded then 'not_responded'
            when is_outside_campaign_dates then 'outside_campaign_dates'
            -- cutover mode: always; matched mode: only beside a kept Web Chat of the same person
            when is_chat_campaign_after_enable
                and {{ 'has_matched_web_chat' if matched_mode else 'true' }}
                then 'chat_campaign_after_web_chat_enabled'
        end as suppression_reason
    from flags
),

final as (
    select
        user_touchpoint_id,
        'CRM Campaign' as touchpoint_type,
        touchpoint_at,
        person_type,
        person_id,
        lead_id,
        contact_id,
        campaign_id,
        campaign_name,
        campaign_type,
        campaign_member_id,
        has_no_known_person,
        is_duplicate_membership,
        is_campaign_excluded,
        is_not_responded,
        is_outside_campaign_dates,
        is_chat_campaign_after_enable,
        has_matched_web_chat,
        suppression_reason,
        -- the Web Chat this candidate duplicates, for a chat cut only
        case
            when suppression_reason = 'chat_campaign_after_web_chat_enabled'
                then nearest_web_chat_id
        end as matched_user_touchpoint_id
    from reasons
)

select * from final
