-- One row per CRM accounts record: valid, deduplicated and not deleted.
with

base as (
    select * from {{ ref('base_crm__accounts') }}
),

final as (
    select
        account_id,
        account_name,
        website
    from base
    where row_outcome = 'accepted'
)

select * from final
