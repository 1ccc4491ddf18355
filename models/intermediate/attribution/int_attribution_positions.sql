-- One row per opportunity per eligible touchpoint row, with the positions it holds in the
-- opportunity's journey (docs/rules.md, "Attribution") and whether it is a middle touch of each
-- closing milestone.
with

eligible as (
    select * from {{ ref('int_attribution_eligible_touchpoints') }}
),

-- the journey order over the opportunity's eligible touches (the candidate id only makes
-- the order total; the rule book's keys already tell every two rows of one opportunity apart)
ranked as (
    select
        *,
        row_number() over (
            partition by opportunity_id
            order by {{ journey_order('contact_id', 'user_touchpoint_id') }}
        ) as attribution_rank
    from eligible
),

-- FT = the first; LC = the first non-Web-Visit; OC = the last at or before
-- created_at; Closed (Pending when open) = the last
milestones as (
    select
        *,
        min(case when touchpoint_type != 'Web Visit' then attribution_rank end) over (
            partition by opportunity_id
        ) as lead_creation_rank,
        max(case when touchpoint_at <= opportunity_created_at then attribution_rank end) over (
            partition by opportunity_id
        ) as opp_creation_rank,
        max(attribution_rank) over (partition by opportunity_id) as closing_rank
    from ranked
),

positioned as (
    select
        *,
        attribution_rank = 1 as is_first_touch,
        coalesce(attribution_rank = lead_creation_rank, false) as is_lead_creation_touch,
        coalesce(attribution_rank = opp_creation_rank, false) as is_opp_creation_touch,
        is_closed and attribution_rank = closing_rank as is_closed_touch,
        not is_closed and attribution_rank = closing_rank as is_pending_touch
    from milestones
),

-- Middle = a non-Web-Visit touch holding no other position; a model's middle touches
-- are those strictly between FT and its closing milestone (none when the milestone is not held)
middles as (
    select
        *,
        touchpoint_type != 'Web Visit'
        and not (
            is_first_touch
            or is_lead_creation_touch
            or is_opp_creation_touch
            or is_closed_touch
            or is_pending_touch
        ) as is_middle_touch
    from positioned
),

final as (
    select
        attribution_touchpoint_id,
        opportunity_id,
        touchpoint_id,
        user_touchpoint_id,
        contact_id,
        touchpoint_at,
        touchpoint_type,
        channel,
        subchannel,
        attribution_rank,
        is_first_touch,
        is_lead_creation_touch,
        is_opp_creation_touch,
        is_closed_touch,
        is_pending_touch,
        is_middle_touch,
        coalesce(
            is_middle_touch and attribution_rank < lead_creation_rank, false
        ) as is_middle_until_lead_creation,
        coalesce(
            is_middle_touch and attribution_rank < opp_creation_rank, false
        ) as is_middle_until_opp_creation,
        is_middle_touch and attribution_rank < closing_rank as is_middle_until_close
    from middles
)

select * from final
