-- One row per CRM account that is not deleted (docs/rules.md, "People"): its name, website and the
-- website's host as lead-to-account matching reads it.
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

final as (
    select
        account_id,
        account_name,
        website,
        {{ website_host('website') }} as domain
    from accounts
)

select * from final
