-- One row per Marketo lead (person): valid and deduplicated, with its CRM ids as given.
with

base as (
    select * from {{ ref('base_marketo__leads') }}
),

final as (
    select
        marketo_lead_id,
        email,
        sfdc_lead_id,
        sfdc_contact_id
    from base
    where row_outcome = 'accepted'
)

select * from final
