-- One row per CRM campaign members record: valid, deduplicated and not deleted.
with

base as (
    select * from {{ ref('base_crm__campaign_members') }}
),

final as (
    select
        campaign_member_id,
        campaign_id,
        lead_id,
        contact_id,
        status,
        has_responded,
        first_responded_at,
        buyer_touchpoint_at,
        created_at,
        loaded_at
    from base
    where row_outcome = 'accepted'
)

select * from final
