-- docs/rules.md, "Touchpoint candidates": every touchpoint candidate is in exactly one of
-- marts.fct_touchpoints (as one or more person rows) and audit.touchpoint_suppressions. Returns
-- the candidates that break this.
with

candidates as (
    select user_touchpoint_id from {{ ref('int_touchpoint_candidates') }}
),

kept as (
    select distinct user_touchpoint_id from {{ ref('fct_touchpoints') }}
),

suppressed as (
    select user_touchpoint_id from {{ ref('touchpoint_suppressions') }}
),

placements as (
    select
        candidates.user_touchpoint_id,
        case when kept.user_touchpoint_id is not null then 1 else 0 end
        + case when suppressed.user_touchpoint_id is not null then 1 else 0 end as placement_count
    from candidates
    left join kept
        on candidates.user_touchpoint_id = kept.user_touchpoint_id
    left join suppressed
        on candidates.user_touchpoint_id = suppressed.user_touchpoint_id
),

final as (
    select * from placements
    where placement_count != 1
)

select * from final
