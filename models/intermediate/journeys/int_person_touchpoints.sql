-- One row per kept touchpoint per person record (docs/rules.md, "Buyer touchpoints"): every kept
-- candidate on every lead and contact it belongs to, with its channel, the journey sort keys
-- (touchpoint_at, touchpoint_type_order, source_id, person_id) and its positions in the record's
-- journey. fct_touchpoints projects it; attribution reads it.
with

candidates as (
    select * from {{ ref('int_touchpoint_candidates') }}
    where suppression_reason is null
),

touchpoint_people as (
    select * from {{ ref('int_touchpoint_people') }}
),

people as (
    select * from {{ ref('int_people') }}
),

digital_channels as (
    select * from {{ ref('int_touchpoint_channels') }}
),

offline_channels as (
    select * from {{ ref('stg_config__offline_channels') }}
),

person_touchpoints as (
    select
        {{ surrogate_key(['candidates.user_touchpoint_id', 'people.person_type',
            'people.person_id']) }} as touchpoint_id,
        candidates.user_touchpoint_id,
        people.person_type,
        people.person_id,
        coalesce(candidates.email, people.email) as email,
        people.lead_id,
        people.contact_id,
        people.account_id,
        candidates.touchpoint_at,
        candidates.touchpoint_type,
        candidates.touchpoint_type_order,
        candidates.source_id,
        candidates.touchpoint_source,
        candidates.medium,
        -- docs/rules.md, "Channels": digital touchpoints by channel_rules, CRM Campaigns by
        -- offline_channels
        coalesce(digital_channels.channel, offline_channels.channel, 'Other') as channel,
        coalesce(digital_channels.subchannel, offline_channels.subchannel, 'Other') as subchannel,
        candidates.campaign_id,
        candidates.campaign_name,
        candidates.landing_page,
        candidates.referrer_page,
        candidates.form_page,
        candidates.session_id,
        candidates.visitor_id,
        candidates.chat_event_id,
        candidates.chat_conversation_id,
        candidates.campaign_member_id,
        candidates.crm_task_id,
        candidates.activity_rule_id
    from candidates
    inner join touchpoint_people
        on candidates.user_touchpoint_id = touchpoint_people.user_touchpoint_id
    inner join people
        on touchpoint_people.person_type = people.person_type
        and touchpoint_people.person_id = people.person_id
    left join digital_channels
        on candidates.channel_key = digital_channels.channel_key
    left join offline_channels
        on candidates.touchpoint_type = 'CRM Campaign'
        and candidates.campaign_type = offline_channels.campaign_type
),

-- docs/rules.md, "Touchpoint candidates": touchpoint_at, then type, then source id as text, then
-- the person record's id as text. The three windows share one partition and order, so the engine
-- sorts the journey once: non_visit_rank counts the touchpoints that are not Web Visits up to this
-- one (read only for those), has_lead_creation_touch looks at the whole journey.
ordered as (
    select
        *,
        row_number() over (
            partition by person_type, person_id
            order by {{ journey_order('person_id') }}
        ) as journey_rank,
        sum(case when touchpoint_type != 'Web Visit' then 1 else 0 end) over (
            partition by person_type, person_id
            order by {{ journey_order('person_id') }}
            rows between unbounded preceding and current row
        ) as non_visit_rank,
        max(case when touchpoint_type != 'Web Visit' then 1 else 0 end) over (
            partition by person_type, person_id
            order by {{ journey_order('person_id') }}
            rows between unbounded preceding and unbounded following
        ) = 1 as has_lead_creation_touch
    from person_touchpoints
),

-- docs/rules.md, "Buyer touchpoints": FT = the first; LC = the first that is not a Web Visit;
-- later non-Web-Visit touchpoints are PostLC
positioned as (
    select
        *,
        journey_rank = 1 as is_first_touch,
        touchpoint_type != 'Web Visit' and non_visit_rank = 1 as is_lead_creation_touch,
        touchpoint_type != 'Web Visit' and non_visit_rank > 1 as is_post_lead_creation_touch
    from ordered
),

final as (
    select
        touchpoint_id,
        user_touchpoint_id,
        person_type,
        person_id,
        email,
        lead_id,
        contact_id,
        account_id,
        touchpoint_at,
        touchpoint_type,
        touchpoint_type_order,
        source_id,
        touchpoint_source,
        medium,
        channel,
        subchannel,
        channel || '.' || subchannel as marketing_channel_path,
        campaign_id,
        campaign_name,
        landing_page,
        referrer_page,
        form_page,
        session_id,
        visitor_id,
        chat_event_id,
        chat_conversation_id,
        campaign_member_id,
        crm_task_id,
        activity_rule_id,
        journey_rank,
        {{ join_flags([
            ('is_first_touch', 'FT'),
            ('is_lead_creation_touch', 'LC'),
            ('is_post_lead_creation_touch', 'PostLC'),
        ]) }} as touchpoint_position,
        is_first_touch,
        is_lead_creation_touch,
        is_post_lead_creation_touch,
        has_lead_creation_touch
    from positioned
)

select * from final
