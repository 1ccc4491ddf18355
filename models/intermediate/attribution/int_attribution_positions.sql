-- One row per opportunity per eligible touchpoint row, with the positions it holds in the
-- opportunity's journey (docs/rules.md, "Attribution") and whether it is a middle touch of each
-- closing milestone.
with

eligible as (
    select * from {{ ref('int_attribution_eligible_touchpoints') }}
),

-- the journey order over the opportunity's eligible touches (the candidate id only makes
-- the order total; the rule book's keys already tell every two rows of one opportunity apart).
-- Every window below shares this partition and order, so the engine sorts each journey once:
--   non_visits_so_far  the touches that are not Web Visits up to and including this one;
--   opp_creation_rank  the number of touches at or before created_at: the journey is ordered by
--                      touchpoint_at first, so they come first and the last of them is OC (0 when
--                      there is none);
--   closing_rank       the number of touches: the last one is Closed (Pending when open).
ranked as (
    select
        *,
        row_number() over (
            partition by opportunity_id
            order by {{ journey_order('contact_id', 'user_touchpoint_id') }}
        ) as attribution_rank,
        sum(case when touchpoint_type != 'Web Visit' then 1 else 0 end) over (
            partition by opportunity_id
            order by {{ journey_order('contact_id', 'user_touchpoint_id') }}
            rows between unbounded preceding and current row
        ) as non_visits_so_far,
        sum(case when touchpoint_at <= opportunity_created_at then 1 else 0 end) over (
            partition by opportunity_id
            order by {{ journey_order('contact_id', 'user_touchpoint_id') }}
            rows between unbounded preceding and unbounded following
        ) as opp_creation_rank,
        count(*) over (
            partition by opportunity_id
            order by {{ journey_order('contact_id', 'user_touchpoint_id') }}
            rows between unbounded preceding and unbounded following
        ) as closing_rank
    from eligible
),

-- FT = the first; LC = the first non-Web-Visit; OC = the last at or before created_at; Closed
-- (Pending when open) = the last
positioned as (
    select
        *,
        attribution_rank = 1 as is_first_touch,
        touchpoint_type != 'Web Visit' and non_visits_so_far = 1 as is_lead_creation_touch,
        attribution_rank = opp_creation_rank as is_opp_creation_touch,
        is_closed and attribution_rank = closing_rank as is_closed_touch,
        not is_closed and attribution_rank = closing_rank as is_pending_touch
    from ranked
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
        -- before LC means before the first touch that is not a Web Visit
        is_middle_touch and non_visits_so_far = 0 as is_middle_until_lead_creation,
        is_middle_touch and attribution_rank < opp_creation_rank as is_middle_until_opp_creation,
        is_middle_touch and attribution_rank < closing_rank as is_middle_until_close
    from middles
)

select * from final
