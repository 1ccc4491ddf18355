-- One row per CRM contacts record: valid, deduplicated and not deleted.
with

base as (
    select * from {{ ref('base_crm__contacts') }}
),

final as (
    select
        contact_id,
        account_id,
        email,
        first_name,
        last_name,
        created_at
    from base
    where row_outcome = 'accepted'
)

select * from final
