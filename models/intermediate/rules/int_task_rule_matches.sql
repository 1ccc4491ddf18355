-- One row per CRM task matched by an activity rule (docs/rules.md, "Configuration"): the
-- smallest matching `rule_id`.
-- A condition holds when any of its alternatives matches (case-insensitive); a group holds when
-- all its conditions hold (AND); a rule matches when any of its groups holds (OR).
with

tasks as (
    select * from {{ ref('stg_crm__tasks') }}
),

conditions as (
    select * from {{ ref('int_activity_rule_conditions') }}
),

condition_counts as (
    select
        rule_id,
        condition_group,
        count(distinct condition_key) as condition_count
    from conditions
    group by rule_id, condition_group
),

condition_hits as (
    select distinct
        tasks.task_id,
        conditions.rule_id,
        conditions.condition_group,
        conditions.condition_key
    from tasks
    cross join conditions
    where {{ ilike_escaped(
        "case conditions.field when 'subject' then coalesce(tasks.subject, '') "
        ~ "when 'task_type' then coalesce(tasks.task_type, '') end",
        'conditions.like_pattern') }}
),

group_hits as (
    select
        condition_hits.task_id,
        condition_hits.rule_id,
        condition_hits.condition_group
    from condition_hits
    inner join condition_counts
        on condition_hits.rule_id = condition_counts.rule_id
        and condition_hits.condition_group = condition_counts.condition_group
    group by
        condition_hits.task_id,
        condition_hits.rule_id,
        condition_hits.condition_group,
        condition_counts.condition_count
    having count(distinct condition_hits.condition_key) = condition_counts.condition_count
),

final as (
    select
        task_id,
        min(rule_id) as activity_rule_id
    from group_hits
    group by task_id
)

select * from final
