-- One row per raw row of raw.marketo_activities (the rule book, "Timestamps and values", "Chat
-- activities", "Bad input and row accounting"): the activity type mapped onto the names shown to
-- sales, the `attributes` JSON parsed per chat activity type, the status mapped onto its canonical
-- value, with the reject reason and outcome. Activity types that are not chat activities are kept
-- here as `not_applicable`.
-- depends_on: {{ sample_seed('marketo_activities') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}


{#- The rule book, "Timestamps and values" and "Chat activities": Marketo's names of the chat
    activity types (matched trimmed, any case) and the names shown to sales. Any other activity type
    is not a chat activity. -#}
{%- set chat_activity_types = {
    'engaged with a dialogue': 'Engaged in Dialogue',
    'scheduled meeting in dialogue': 'Scheduled Appointment',
    'reached dialogue goal': 'Reached Goal',
    'interacted with document in dialogue': 'Interacted with Document',
} -%}

{#- The rule book, "Chat activities": the closed list of statuses per activity type with their
    synonyms (matched trimmed, any case) -> the canonical status. Document statuses come from the
    flags; goals have none. -#}
{%- set status_synonyms = {
    'Engaged in Dialogue': {
        'initiated': 'Initiated',
        'started': 'Initiated',
        'dropped': 'Dropped',
        'dropped off': 'Dropped',
        'abandoned': 'Dropped',
        'completed': 'Completed',
    },
    'Scheduled Appointment': {
        'scheduled': 'Scheduled',
        'rescheduled': 'Rescheduled',
        'cancelled': 'Cancelled',
        'canceled': 'Cancelled',
    },
} %}

with

source as (
    {{ raw_rows_to_parse(source('marketo', 'marketo_activities'), 'activity_id') }}
),

-- The rule book, "Timestamps and values": which chat activity the row is (null: not a chat
-- activity), and its JSON text
typed as (
    select
        *,
        case lower(trim(activity_type))
            {%- for marketo_name, activity_type in chat_activity_types.items() %}
            when '{{ marketo_name }}' then '{{ activity_type }}'
            {%- endfor %}
        end as chat_activity_type,
        {{ nullif_blank('attributes') }} as attributes_text
    from source
),

-- The rule book, "Timestamps and values": the attributes of each chat activity type, by their
-- Marketo names, as text
attributes as (
    select
        *,
        case
            when chat_activity_type is not null
                then {{ json_text('attributes_text', 'Page URL') }}
        end as page_url_text,
        case chat_activity_type
            when 'Engaged in Dialogue'
                then {{ json_text('attributes_text', 'Conversation Status') }}
            when 'Scheduled Appointment'
                then {{ json_text('attributes_text', 'Meeting Status') }}
        end as status_text,
        case
            when chat_activity_type = 'Scheduled Appointment'
                then {{ json_text('attributes_text', 'Agent Name') }}
        end as agent_name_text,
        case
            when chat_activity_type = 'Scheduled Appointment'
                then {{ json_text('attributes_text', 'Scheduled For') }}
        end as scheduled_for_text,
        case
            when chat_activity_type = 'Reached Goal'
                then {{ json_text('attributes_text', 'Goal Name') }}
        end as goal_name_text,
        case
            when chat_activity_type = 'Interacted with Document'
                then {{ json_text('attributes_text', 'Document Name') }}
        end as document_name_text,
        case
            when chat_activity_type = 'Interacted with Document'
                then {{ json_text('attributes_text', 'Document Opened') }}
        end as document_opened_text,
        case
            when chat_activity_type = 'Interacted with Document'
                then {{ json_text('attributes_text', 'Document Downloaded') }}
        end as document_downloaded_text
    from typed
),

-- The rule book, "Chat activities": status synonyms onto the canonical values; a document is
-- `Downloaded` when its `Document Downloaded` flag is true (JSON boolean or text), else `Opened`
statuses as (
    select
        *,
        case
            {%- for activity_type, synonyms in status_synonyms.items() %}
            {%- for synonym, status in synonyms.items() %}
            when chat_activity_type = '{{ activity_type }}'
                and lower(trim(status_text)) = '{{ synonym }}'
                then '{{ status }}'
            {%- endfor %}
            {%- endfor %}
            when chat_activity_type = 'Interacted with Document'
                and {{ parse_boolean('document_downloaded_text') }}
                then 'Downloaded'
            when chat_activity_type = 'Interacted with Document' then 'Opened'
        end as mapped_status
    from attributes
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('activity_at') }} as activity_at__parsed,
        {{ parse_timestamp('scheduled_for_text') }} as scheduled_for_text__parsed
    from statuses
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('marketo_activities')) }} as raw_text,
        -- The rule book, "Bad input and row accounting": the first failing check, in this order
        {{ reject_reason(
            required_check('activity_id')
            + required_check('marketo_lead_id')
            + required_check('activity_type')
            + timestamp_check('activity_at', required=true)
            + [('attributes_text is not null and not ' ~ json_is_valid('attributes_text'),
                'malformed_json'),
               ('attributes_text is not null and not ' ~ json_is_object('attributes_text'),
                'json_not_object'),
               (nullif_blank('status_text') ~ ' is not null and mapped_status is null',
                'unknown_status'),
               (is_invalid_timestamp('scheduled_for_text', 'scheduled_for_text__parsed'),
                'unparseable_scheduled_for'),
               (is_invalid_boolean('document_opened_text'), 'unparseable_document_opened'),
               (is_invalid_boolean('document_downloaded_text'),
                'unparseable_document_downloaded')]
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('activity_id') }} as activity_id,
        {{ nullif_blank('marketo_lead_id') }} as marketo_lead_id,
        chat_activity_type as activity_type,
        {{ parsed_timestamp('activity_at') }} as activity_at,
        -- The rule book, "Timestamps and values": the dialogue is the activity's primary attribute
        {{ nullif_blank('primary_attribute_value') }} as dialogue_name,
        {{ nullif_blank('page_url_text') }} as page_url,
        mapped_status as status,
        {{ nullif_blank('agent_name_text') }} as agent_name,
        {{ parsed_timestamp('scheduled_for_text') }} as scheduled_for,
        {{ nullif_blank('goal_name_text') }} as goal_name,
        {{ nullif_blank('document_name_text') }} as document_name,
        {{ parse_boolean('document_opened_text') }} as is_document_opened,
        {{ parse_boolean('document_downloaded_text') }} as is_document_downloaded,
        chat_activity_type is not null as is_chat_activity,
        loaded_at,
        -- The rule book, "Bad input and row accounting": activity types that are not chat
        -- activities are not applicable
        {{ row_outcome_columns(
            nullif_blank('activity_id'),
            parsed_timestamp('activity_at'),
            'chat_activity_type is null'
        ) }}
    from checked
)

select * from final
