-- One row per CRM campaigns record: valid, deduplicated and not deleted.
with

base as (
    select * from {{ ref('base_crm__campaigns') }}
),

final as (
    select
        campaign_id,
        campaign_name,
        campaign_type,
        touchpoint_sync_type,
        touchpoint_start_date,
        touchpoint_end_date
    from base
    where row_outcome = 'accepted'
)

select * from final
