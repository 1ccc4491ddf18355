-- One row per chat activity (docs/rules.md, "Chat activities"), linked to its CRM person record:
-- the contact when the
-- Marketo lead's `sfdc_contact_id` is a known contact (the contact wins), else the lead when its
-- `sfdc_lead_id` is a known lead, else unlinked. Deleted records count as unknown (they are not
-- in int_people). The account is the contact's account or the lead's matched account
-- (docs/rules.md, "People").
with

activities as (
    select * from {{ ref('stg_marketo__activities') }}
),

marketo_leads as (
    select * from {{ ref('stg_marketo__leads') }}
),

people as (
    select * from {{ ref('int_people') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

contact_people as (
    select * from people
    where person_type = 'contact'
),

lead_people as (
    select * from people
    where person_type = 'lead'
),

-- docs/rules.md ("Chat activities"): a Marketo lead's CRM record (the contact wins over the lead)
marketo_lead_people as (
    select
        marketo_leads.marketo_lead_id,
        marketo_leads.email,
        contact_people.contact_id,
        case when contact_people.contact_id is null then lead_people.lead_id end as lead_id,
        case
            when contact_people.contact_id is not null then contact_people.account_id
            else lead_people.account_id
        end as account_id,
        case
            when contact_people.contact_id is not null then contact_people.person_name
            else lead_people.person_name
        end as person_name
    from marketo_leads
    left join contact_people
        on marketo_leads.sfdc_contact_id = contact_people.contact_id
    left join lead_people
        on marketo_leads.sfdc_lead_id = lead_people.lead_id
),

linked as (
    select
        activities.*,
        marketo_lead_people.lead_id,
        marketo_lead_people.contact_id,
        marketo_lead_people.account_id,
        marketo_lead_people.person_name,
        -- the Marketo lead's email (docs/rules.md, "Chat activities")
        marketo_lead_people.email,
        accounts.account_name
    from activities
    left join marketo_lead_people
        on activities.marketo_lead_id = marketo_lead_people.marketo_lead_id
    left join accounts
        on marketo_lead_people.account_id = accounts.account_id
),

final as (
    select
        {{ surrogate_key(['activity_id']) }} as chat_activity_id,
        activity_id,
        activity_type,
        activity_at,
        marketo_lead_id,
        lead_id,
        contact_id,
        account_id,
        person_name,
        email,
        dialogue_name,
        page_url,
        status,
        agent_name,
        scheduled_for,
        goal_name,
        document_name,
        account_name
    from linked
)

select * from final
