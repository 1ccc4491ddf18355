-- One row per CRM campaign type: the `offline_channels` seed, validated and typed (docs/rules.md,
-- "Configuration" and "Channels"). A bad value stops the build here, naming the seed, the row and
-- the column; nothing downstream casts the seed again.
{{ check_config_seed(
    'offline_channels',
    [
        {'column': 'campaign_type', 'required': true},
        {'column': 'channel', 'required': true},
        {'column': 'subchannel', 'required': true},
    ],
    unique_key=['campaign_type'],
) }}

with

source as (
    select * from {{ ref('offline_channels') }}
),

final as (
    select
        {{ as_text('campaign_type') }} as campaign_type,
        {{ as_text('channel') }} as channel,
        {{ as_text('subchannel') }} as subchannel
    from source
)

select * from final
