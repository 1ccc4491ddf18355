-- One row per CRM tasks record: valid, deduplicated and not deleted.
with

base as (
    select * from {{ ref('base_crm__tasks') }}
),

final as (
    select
        task_id,
        who_id,
        subject,
        task_type,
        created_at,
        activity_date
    from base
    where row_outcome = 'accepted'
)

select * from final
