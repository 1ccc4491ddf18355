-- One row per kept touchpoint per person record it belongs to (docs/rules.md, "People"): web
-- touchpoints belong to every lead and contact with their email; CRM touchpoints to the member's
-- or task's record; a converted lead's touchpoints also to its converted contact. A record
-- receives each touchpoint once.
with

kept as (
    select * from {{ ref('int_touchpoint_candidates') }}
    where suppression_reason is null
),

people as (
    select * from {{ ref('int_people') }}
),

direct_records as (
    select
        kept.user_touchpoint_id,
        people.person_type,
        people.person_id
    from kept
    inner join people
        on kept.email = people.email
    where kept.touchpoint_type in ('Web Visit', 'Web Chat')

    union all

    select
        user_touchpoint_id,
        person_type,
        person_id
    from kept
    where touchpoint_type in ('CRM Campaign', 'CRM Activity')
),

converted_contacts as (
    select
        direct_records.user_touchpoint_id,
        'contact' as person_type,
        people.converted_contact_id as person_id
    from direct_records
    inner join people
        on direct_records.person_type = people.person_type
        and direct_records.person_id = people.person_id
    where people.converted_contact_id is not null
),

final as (
    select distinct
        user_touchpoint_id,
        person_type,
        person_id
    from (
        select * from direct_records
        union all
        select * from converted_contacts
    ) as records
)

select * from final
