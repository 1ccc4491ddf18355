-- One row per chat activity (docs/rules.md, "Chat activities"), linked to its CRM person record:
-- the contact when the
-- Marketo lead's `sfdc_contact_id` is a known contact (the contact wins), else the lead when its
-- `sfdc_lead_id` is a known lead, else unlinked. Deleted records count as unknown (they are not
-- in int_people). The account is the contact's account or the lead's matched account
-- (docs/rules.md, "People").
-- Incremental (README "Scheduled builds"): an incremental build recomputes only the activities
-- macros/incremental_downstream.sql names (a raw row of theirs loaded since the cutoff, a held row
-- from such a raw row, or a Marketo lead whose CRM record, account, names or email changed); on
-- Spark a table.
-- depends_on: {{ ref('base_marketo__activities') }}
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    pre_hook="{{ collect_changes('activity_id', chat_activity_changes) }}",
    post_hook="{{ drop_changes() }}",
) }}

with

activities as (
    select * from {{ ref('stg_marketo__activities') }}
    where {{ only_changed('activity_id') }}
),

-- docs/rules.md ("Chat activities"): a Marketo lead's CRM record (the contact wins over the lead)
marketo_lead_people as (
    {{ chat_activity_people() | indent(4) }}
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
        marketo_lead_people.account_name
    from activities
    left join marketo_lead_people
        on activities.marketo_lead_id = marketo_lead_people.marketo_lead_id
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
        account_name,
        loaded_at
    from linked
)

select * from final
