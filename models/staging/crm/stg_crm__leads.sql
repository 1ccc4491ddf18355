-- One row per CRM leads record: valid, deduplicated and not deleted.
with

base as (
    select * from {{ ref('base_crm__leads') }}
),

final as (
    select
        lead_id,
        email,
        first_name,
        last_name,
        company,
        created_at,
        is_converted,
        converted_contact_id
    from base
    where row_outcome = 'accepted'
)

select * from final
