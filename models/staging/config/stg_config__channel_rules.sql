-- One row per marketing channel rule: the `channel_rules` seed, validated and typed (docs/rules.md,
-- "Configuration" and "Channels"). A bad value stops the build here, naming the seed, the row and
-- the column. Empty patterns become null; nothing downstream casts the seed again.
{{ check_config_seed(
    'channel_rules',
    [
        {'column': 'priority', 'required': true, 'type': 'integer'},
        {'column': 'channel', 'required': true},
        {'column': 'subchannel', 'required': true},
        {'column': 'utm_medium'},
        {'column': 'utm_source'},
        {'column': 'utm_campaign'},
        {'column': 'referrer'},
        {'column': 'landing_page'},
    ],
    unique_key=['priority'],
) }}

with

source as (
    select * from {{ ref('channel_rules') }}
),

final as (
    select
        cast({{ as_text('priority') }} as integer) as priority,
        {{ as_text('channel') }} as channel,
        {{ as_text('subchannel') }} as subchannel,
        nullif({{ as_text('utm_medium') }}, '') as utm_medium,
        nullif({{ as_text('utm_source') }}, '') as utm_source,
        nullif({{ as_text('utm_campaign') }}, '') as utm_campaign,
        nullif({{ as_text('referrer') }}, '') as referrer,
        nullif({{ as_text('landing_page') }}, '') as landing_page
    from source
)

select * from final
