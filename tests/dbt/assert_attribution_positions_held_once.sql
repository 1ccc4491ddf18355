-- docs/rules.md, "Attribution": in every opportunity's journey FT and Closed/Pending are held
-- exactly once, LC and OC at most once, and a Middle row holds no other position. Fails on every
-- offending opportunity.
with

positions as (
    select * from {{ ref('int_attribution_positions') }}
),

counted as (
    select
        opportunity_id,
        sum(case when is_first_touch then 1 else 0 end) as first_touches,
        sum(case when is_lead_creation_touch then 1 else 0 end) as lead_creation_touches,
        sum(case when is_opp_creation_touch then 1 else 0 end) as opp_creation_touches,
        sum(case when is_closed_touch or is_pending_touch then 1 else 0 end) as closing_touches,
        sum(case when is_closed_touch and is_pending_touch then 1 else 0 end) as closed_and_pending,
        sum(
            case
                when is_middle_touch
                    and (
                        is_first_touch or is_lead_creation_touch or is_opp_creation_touch
                        or is_closed_touch or is_pending_touch
                    )
                    then 1
                else 0
            end
        ) as middle_with_position
    from positions
    group by opportunity_id
)

select *
from counted
where first_touches != 1
    or lead_creation_touches > 1
    or opp_creation_touches > 1
    or closing_touches != 1
    or closed_and_pending > 0
    or middle_with_position > 0
