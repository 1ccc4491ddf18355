-- One row per valid, non-deleted member of a known, non-deleted campaign: the facts of a CRM
-- Campaign candidate before any suppression rule (docs/rules.md, "Touchpoint candidates"): the
-- member's person record (null when unknown or deleted), its touchpoint time and its rank among
-- the memberships of the same person in the same campaign. `int_crm_campaign_candidates` decides
-- on these facts; `int_chat_touchpoint_matches` pairs the chat campaigns' members with Web Chats.
-- Incremental (README "Scheduled builds"): the rank needs every membership of a campaign and
-- person, so an incremental build recomputes whole groups of them (`membership_group_key`), those
-- macros/incremental_downstream.sql names: a membership loaded since the cutoff, a campaign that
-- changed, or a member whose record became known or unknown. On Spark a table.
-- depends_on: {{ ref('base_crm__campaign_members') }}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    pre_hook="{{ collect_changes('membership_group_key', campaign_membership_changes) }}",
    post_hook="{{ drop_changes() }}",
) }}

with

all_members as (
    select
        *,
        {{ campaign_membership_group('campaign_id', 'contact_id', 'lead_id') }}
            as membership_group_key
    from {{ ref('stg_crm__campaign_members') }}
),

-- in an incremental build, the groups to recompute only
members as (
    select * from all_members
    where {{ only_changed('membership_group_key') }}
),

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
),

people as (
    select * from {{ ref('int_people') }}
),

-- the member's record: its contact when it has one, else its lead
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
        member_records.person_type as member_person_type,
        member_records.person_id as member_person_id,
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
        touchpoint_at,
        case when known_person_id is not null then person_type end as person_type,
        known_person_id as person_id,
        -- the member's record, null when unknown or deleted
        case when known_person_id is not null and person_type = 'lead' then lead_id end as lead_id,
        case
            when known_person_id is not null and person_type = 'contact' then contact_id
        end as contact_id,
        campaign_id,
        campaign_name,
        campaign_type,
        touchpoint_sync_type,
        touchpoint_start_date,
        touchpoint_end_date,
        campaign_member_id,
        created_at,
        has_responded,
        membership_rank,
        -- the member's record as given (its contact, else its lead), known or not
        member_person_type,
        member_person_id,
        membership_group_key,
        loaded_at
    from ranked
)

select * from final
