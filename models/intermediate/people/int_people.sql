-- One row per person record (docs/rules.md, "People"): every non-deleted CRM lead and contact,
-- keyed by
-- `person_id` (the contact_id, else the lead_id), with its normalised email, name and account (the
-- contact's account, or the lead's matched account).
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

lead_accounts as (
    select * from {{ ref('int_lead_account_matches') }}
),

lead_people as (
    select
        leads.lead_id as person_id,
        'lead' as person_type,
        leads.lead_id,
        cast(null as {{ text_type() }}) as contact_id,
        leads.email,
        leads.first_name,
        leads.last_name,
        lead_accounts.account_id,
        leads.is_converted,
        -- a converted lead's touchpoints also reach its contact, when that contact exists
        contacts.contact_id as converted_contact_id
    from leads
    left join lead_accounts
        on leads.lead_id = lead_accounts.lead_id
    left join contacts
        on leads.converted_contact_id = contacts.contact_id
        and leads.is_converted
),

contact_people as (
    select
        contacts.contact_id as person_id,
        'contact' as person_type,
        cast(null as {{ text_type() }}) as lead_id,
        contacts.contact_id,
        contacts.email,
        contacts.first_name,
        contacts.last_name,
        -- a deleted or unknown account is no account
        accounts.account_id,
        false as is_converted,
        cast(null as {{ text_type() }}) as converted_contact_id
    from contacts
    left join accounts
        on contacts.account_id = accounts.account_id
),

unioned as (
    select * from lead_people
    union all
    select * from contact_people
),

final as (
    select
        person_id,
        person_type,
        lead_id,
        contact_id,
        email,
        first_name,
        last_name,
        nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as person_name,
        account_id,
        is_converted,
        converted_contact_id
    from unioned
)

select * from final
