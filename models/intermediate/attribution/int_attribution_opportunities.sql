-- One row per opportunity that takes part in attribution (docs/rules.md, "Attribution"): a valid,
-- non-deleted opportunity of a known, non-deleted account, with its window of eligible touches.
-- An open opportunity's window ends at as_of, the time of the build when as_of is null: the tag
-- build_time has incremental builds rebuild this model and its readers then (macros/config.sql).
{{ config(tags=['build_time']) }}

with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

-- deleted opportunities and accounts (and unknown accounts) take no part
account_opportunities as (
    select opportunities.*
    from opportunities
    inner join accounts
        on opportunities.account_id = accounts.account_id
),

-- end of the window: the end of close_date (midnight UTC after it, exclusive) for a
-- closed opportunity; as_of (inclusive) for an open one
window_ends as (
    select
        *,
        case
            when is_closed
                then {{ date_to_timestamp(dbt.dateadd('day', 1, 'close_date')) }}
            else {{ as_of() }}
        end as window_end_at
    from account_opportunities
),

-- start of the window: the end of the close_date of the latest other closed
-- opportunity of the account whose close_date is before the date (UTC) of this one's created_at
window_starts as (
    select
        opportunity.opportunity_id,
        max(earlier.window_end_at) as window_start_at
    from window_ends as opportunity
    inner join window_ends as earlier
        on opportunity.account_id = earlier.account_id
        and opportunity.opportunity_id != earlier.opportunity_id
        and earlier.is_closed
        and earlier.close_date < cast(opportunity.created_at as date)
    group by opportunity.opportunity_id
),

final as (
    select
        window_ends.opportunity_id,
        window_ends.account_id,
        window_ends.opportunity_name,
        window_ends.created_at,
        window_ends.close_date,
        window_ends.is_closed,
        window_ends.is_won,
        window_ends.amount,
        window_starts.window_start_at,
        window_ends.window_end_at
    from window_ends
    left join window_starts
        on window_ends.opportunity_id = window_starts.opportunity_id
)

select * from final
