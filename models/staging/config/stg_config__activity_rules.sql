-- One row per condition of a CRM activity rule: the `activity_rules` seed, validated and typed
-- (docs/rules.md, "Configuration"). A bad value stops the build here, naming the seed, the row and
-- the column; nothing downstream casts the seed again.
{{ check_config_seed(
    'activity_rules',
    [
        {'column': 'rule_id', 'required': true, 'type': 'integer'},
        {'column': 'condition_group', 'required': true, 'type': 'integer'},
        {'column': 'field', 'required': true, 'values': ['subject', 'task_type']},
        {'column': 'operator', 'required': true,
            'values': ['equals', 'contains', 'starts_with', 'ends_with', 'matches_any']},
        {'column': 'value', 'required': true},
        {'column': 'date_field', 'required': true, 'values': ['created_at', 'activity_date']},
        {'column': 'campaign_name', 'required': true},
        {'column': 'tracks_web_chat', 'required': true, 'type': 'boolean'},
    ],
    unique_key=['rule_id', 'condition_group', 'field', 'operator', 'value'],
    same_within={'rule_id': ['date_field', 'campaign_name', 'tracks_web_chat']},
) }}

with

source as (
    select * from {{ ref('activity_rules') }}
),

final as (
    select
        cast({{ as_text('rule_id') }} as integer) as rule_id,
        cast({{ as_text('condition_group') }} as integer) as condition_group,
        lower({{ as_text('field') }}) as field,
        lower({{ as_text('operator') }}) as operator,
        -- the value is data, untrimmed: surrounding spaces may be meant
        cast(value as {{ text_type() }}) as value,
        lower({{ as_text('date_field') }}) as date_field,
        {{ as_text('campaign_name') }} as campaign_name,
        {{ parse_boolean(as_text('tracks_web_chat')) }} as tracks_web_chat
    from source
)

select * from final
