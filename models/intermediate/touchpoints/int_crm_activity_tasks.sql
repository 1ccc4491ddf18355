-- One row per valid, non-deleted task that an activity rule matches (the smallest matching
-- rule_id): the facts of a CRM Activity candidate before any suppression rule (docs/rules.md,
-- "Touchpoint candidates"): the task's person record (null when unknown or deleted), its rule and
-- its touchpoint time. `int_crm_activity_candidates` decides on these facts;
-- `int_chat_touchpoint_matches` pairs the tasks of rules that track web chat with Web Chats.
with

tasks as (
    select * from {{ ref('stg_crm__tasks') }}
),

matches as (
    select * from {{ ref('int_task_rule_matches') }}
),

rules as (
    select * from {{ ref('int_activity_rules') }}
),

people as (
    select * from {{ ref('int_people') }}
),

-- who_id is a contact id or a lead id; a contact wins if both exist
task_people as (
    select
        tasks.task_id,
        people.person_type,
        people.person_id,
        row_number() over (
            partition by tasks.task_id
            order by case people.person_type when 'contact' then 0 else 1 end
        ) as person_rank
    from tasks
    inner join people
        on tasks.who_id = people.person_id
),

matched as (
    select
        tasks.*,
        rules.activity_rule_id,
        rules.date_field,
        rules.campaign_name,
        rules.tracks_web_chat,
        task_people.person_type,
        task_people.person_id
    from tasks
    inner join matches
        on tasks.task_id = matches.task_id
    inner join rules
        on matches.activity_rule_id = rules.activity_rule_id
    left join task_people
        on tasks.task_id = task_people.task_id
        and task_people.person_rank = 1
),

final as (
    select
        {{ surrogate_key(["'CRM Activity'", 'task_id']) }} as user_touchpoint_id,
        -- activity_date means midnight UTC of that date; without one, created_at
        case
            when date_field = 'activity_date'
                then coalesce({{ date_to_timestamp('activity_date') }}, created_at)
            else created_at
        end as touchpoint_at,
        person_type,
        person_id,
        case when person_type = 'lead' then person_id end as lead_id,
        case when person_type = 'contact' then person_id end as contact_id,
        task_id as crm_task_id,
        activity_rule_id,
        campaign_name,
        task_type,
        tracks_web_chat,
        created_at
    from matched
)

select * from final
