-- One row per distinct set of digital channel inputs (`channel_key`) among the touchpoint
-- candidates (docs/rules.md, "Channels"): the channel and subchannel of the first channel rule,
-- in ascending priority, all of whose non-empty patterns match (case-insensitive; the referrer
-- pattern matches the referrer's host name). No match: Other / Other. Web touchpoints bring their
-- session's utm values, referrer and landing page; CRM Activities bring utm_campaign = the rule's
-- campaign_name and utm_medium = task_type.
with

candidates as (
    select * from {{ ref('int_touchpoint_candidates') }}
    where channel_key is not null
),

patterns as (
    select * from {{ ref('int_channel_rule_patterns') }}
),

rules as (
    select * from {{ ref('stg_config__channel_rules') }}
),

inputs as (
    select distinct
        channel_key,
        coalesce(medium, '') as utm_medium,
        coalesce(channel_source, '') as utm_source,
        coalesce(campaign_name, '') as utm_campaign,
        coalesce({{ url_host('channel_referrer') }}, '') as referrer,
        coalesce(landing_page, '') as landing_page
    from candidates
),

field_hits as (
    select
        inputs.channel_key,
        patterns.priority,
        patterns.field_name
    from inputs
    cross join patterns
    where {{ ilike_escaped(
        "case patterns.field_name"
        ~ " when 'utm_medium' then inputs.utm_medium"
        ~ " when 'utm_source' then inputs.utm_source"
        ~ " when 'utm_campaign' then inputs.utm_campaign"
        ~ " when 'referrer' then inputs.referrer"
        ~ " when 'landing_page' then inputs.landing_page"
        ~ " else '' end",
        'patterns.like_pattern') }}
    group by inputs.channel_key, patterns.priority, patterns.field_name
),

rule_field_counts as (
    select
        priority,
        count(distinct field_name) as field_count
    from patterns
    group by priority
),

rule_hits as (
    select
        field_hits.channel_key,
        min(field_hits.priority) as priority
    from field_hits
    inner join rule_field_counts
        on field_hits.priority = rule_field_counts.priority
    group by field_hits.channel_key, field_hits.priority, rule_field_counts.field_count
    having count(*) = rule_field_counts.field_count
),

first_hits as (
    select
        channel_key,
        min(priority) as priority
    from rule_hits
    group by channel_key
),

final as (
    select
        inputs.channel_key,
        coalesce(rules.channel, 'Other') as channel,
        coalesce(rules.subchannel, 'Other') as subchannel
    from inputs
    left join first_hits
        on inputs.channel_key = first_hits.channel_key
    left join rules
        on first_hits.priority = rules.priority
)

select * from final
