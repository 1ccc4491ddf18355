-- One row per person record (docs/rules.md, "People"): every CRM lead and contact that is not
-- deleted, keyed by its own id. `person_name` as the Sales Insight marts show it, `account_id` the
-- contact's account or the lead's matched account; the conversion columns are the lead's, null for
-- a contact.
with

people as (
    select * from {{ ref('int_people') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

created as (
    select
        'lead' as person_type,
        lead_id as person_id,
        created_at
    from leads
    union all
    select
        'contact' as person_type,
        contact_id as person_id,
        created_at
    from contacts
),

final as (
    select
        people.person_id,
        people.person_type,
        people.lead_id,
        people.contact_id,
        people.email,
        people.person_name,
        people.account_id,
        created.created_at,
        case when people.person_type = 'lead' then people.is_converted end as is_converted,
        people.converted_contact_id
    from people
    left join created
        on people.person_type = created.person_type
        and people.person_id = created.person_id
)

select * from final
