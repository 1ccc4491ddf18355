-- One row per CRM Campaign candidate (SPEC 5.2): every valid, non-deleted member of a known,
-- non-deleted campaign, with its suppression reason (SPEC 5.3), null when kept. Reasons, first
-- applicable wins: no_known_person, duplicate_membership, campaign_excluded, not_responded,
-- outside_campaign_dates, chat_campaign_after_web_chat_enabled.
with

members as (
    select * from {{ ref('stg_crm__campaign_members') }}
),

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
),

people as (
    select * from {{ ref('int_people') }}
),

-- the member's record: its contact when it has one, else its lead (SPEC 3)
member_records as (
    select
        members.*,
        campaigns.campaign_name,
        campaigns.campaign_type,
        campaigns.touchpoint_sync_type,
        campaigns.touchpoint_start_date,
        campaigns.touchpoint_end_date,
        case when members.contact_id is not null then 'contact' else 'lead' end as person_type,
        coalesce(members.contact_id, members.lead_id) as person_id
    from members
    inner join campaigns
        on members.campaign_id = campaigns.campaign_id
),

ranked as (
    select
        member_records.*,
        people.person_id as known_person_id,
        -- one touchpoint per person per campaign: the earliest membership, then the smallest id
        row_number() over (
            partition by
                member_records.campaign_id,
                member_records.person_type,
                member_records.person_id
            order by member_records.created_at, member_records.campaign_member_id
        ) as membership_rank,
        coalesce(
            member_records.buyer_touchpoint_at,
            case
                when member_records.touchpoint_sync_type = 'Include_Responded'
                    then member_records.first_responded_at
            end,
            member_records.created_at
        ) as touchpoint_at
    from member_records
    left join people
        on member_records.person_type = people.person_type
        and member_records.person_id = people.person_id
),

final as (
    select
        {{ surrogate_key(["'CRM Campaign'", 'campaign_member_id']) }} as user_touchpoint_id,
        'CRM Campaign' as touchpoint_type,
        touchpoint_at,
        case when known_person_id is not null then person_type end as person_type,
        known_person_id as person_id,
        -- the member's record, null when unknown or deleted (SPEC 5.3)
        case when known_person_id is not null and person_type = 'lead' then lead_id end as lead_id,
        case
            when known_person_id is not null and person_type = 'contact' then contact_id
        end as contact_id,
        campaign_id,
        campaign_name,
        campaign_type,
        campaign_member_id,
        case
            when known_person_id is null then 'no_known_person'
            when membership_rank > 1 then 'duplicate_membership'
            when touchpoint_sync_type = 'Exclude_All' then 'campaign_excluded'
            when touchpoint_sync_type = 'Include_Responded' and not has_responded
                then 'not_responded'
            -- a date bound means midnight UTC starting that day; the end bound is exclusive
            when created_at < {{ date_to_timestamp('touchpoint_start_date') }}
                or created_at >= {{ date_to_timestamp('touchpoint_end_date') }}
                then 'outside_campaign_dates'
            when {{ is_chat_campaign_type('campaign_type') }}
                and touchpoint_at >= {{ web_chat_enabled_at() }}
                then 'chat_campaign_after_web_chat_enabled'
        end as suppression_reason
    from ranked
)

select * from final
