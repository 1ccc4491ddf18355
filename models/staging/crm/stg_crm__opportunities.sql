-- One row per CRM opportunities record: valid, deduplicated and not deleted.
with

base as (
    select * from {{ ref('base_crm__opportunities') }}
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
    from base
    where row_outcome = 'accepted'
)

select * from final
