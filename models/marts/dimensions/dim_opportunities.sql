-- One row per CRM opportunity that is not deleted (docs/rules.md, "Attribution"). `account_id` is
-- the account as the CRM names it; an opportunity of a deleted or unknown account keeps it, and
-- the `relationships` test to `dim_accounts` warns about it.
with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

final as (
    select
        opportunity_id,
        account_id,
        opportunity_name,
        created_at,
        close_date,
        is_closed,
        is_won,
        amount
    from opportunities
)

select * from final
