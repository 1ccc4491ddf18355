-- One row per opportunity per eligible touchpoint row (docs/rules.md, "Attribution"): every
-- touchpoint row of a contact of the opportunity's account inside the opportunity's window. Leads
-- never reach an opportunity (a converted lead's touchpoints reach it through its contact); a
-- touch shared by two contacts gives two rows.
with

-- the contact rows, with the journey sort keys (touchpoint_type_order, source_id)
contact_touchpoints as (
    select
        touchpoint_id,
        user_touchpoint_id,
        contact_id,
        account_id,
        touchpoint_at,
        touchpoint_type,
        touchpoint_type_order,
        source_id,
        channel,
        subchannel
    from {{ ref('int_person_touchpoints') }}
    where person_type = 'contact'
        and account_id is not null
),

opportunities as (
    select * from {{ ref('int_attribution_opportunities') }}
),

-- the account's FT and LC touches, over all its contact rows in the journey order (one sort:
-- account_non_visit_rank counts the rows that are not Web Visits up to this one, and is read
-- only for those)
account_ranked as (
    select
        *,
        row_number() over (
            partition by account_id
            order by {{ journey_order('contact_id', 'user_touchpoint_id') }}
        ) as account_touch_rank,
        sum(case when touchpoint_type != 'Web Visit' then 1 else 0 end) over (
            partition by account_id
            order by {{ journey_order('contact_id', 'user_touchpoint_id') }}
            rows between unbounded preceding and current row
        ) as account_non_visit_rank
    from contact_touchpoints
),

-- a touch is the candidate: when it reaches the account through several contacts, every one of
-- its rows is the account's FT (or LC) touch
account_milestone_touches as (
    select distinct
        account_id,
        user_touchpoint_id
    from account_ranked
    where account_touch_rank = 1
        or (touchpoint_type != 'Web Visit' and account_non_visit_rank = 1)
),

flagged as (
    select
        contact_touchpoints.*,
        account_milestone_touches.user_touchpoint_id is not null as is_account_milestone_touch
    from contact_touchpoints
    left join account_milestone_touches
        on contact_touchpoints.account_id = account_milestone_touches.account_id
        and contact_touchpoints.user_touchpoint_id = account_milestone_touches.user_touchpoint_id
),

opportunity_touchpoints as (
    select
        opportunities.opportunity_id,
        opportunities.created_at as opportunity_created_at,
        opportunities.is_closed,
        opportunities.window_start_at,
        opportunities.window_end_at,
        flagged.touchpoint_id,
        flagged.user_touchpoint_id,
        flagged.contact_id,
        flagged.account_id,
        flagged.touchpoint_at,
        flagged.touchpoint_type,
        flagged.touchpoint_type_order,
        flagged.source_id,
        flagged.channel,
        flagged.subchannel,
        flagged.is_account_milestone_touch
    from opportunities
    inner join flagged
        on opportunities.account_id = flagged.account_id
),

-- the end binds every touch; the start binds all but the account's FT and LC touches
eligible as (
    select *
    from opportunity_touchpoints
    where
        (
            (is_closed and touchpoint_at < window_end_at)
            or (not is_closed and touchpoint_at <= window_end_at)
        )
        and (
            window_start_at is null
            or touchpoint_at >= window_start_at
            or is_account_milestone_touch
        )
),

final as (
    select
        {{ surrogate_key(['opportunity_id', 'touchpoint_id']) }} as attribution_touchpoint_id,
        opportunity_id,
        opportunity_created_at,
        is_closed,
        touchpoint_id,
        user_touchpoint_id,
        contact_id,
        account_id,
        touchpoint_at,
        touchpoint_type,
        touchpoint_type_order,
        source_id,
        channel,
        subchannel,
        is_account_milestone_touch
    from eligible
)

select * from final
