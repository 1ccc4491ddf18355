-- One row per raw row of raw.crm_tasks: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_tasks') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('crm', 'crm_tasks'), 'task_id') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('created_at') }} as created_at__parsed,
        {{ parse_date('activity_date') }} as activity_date__parsed
    from source
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('crm_tasks')) }} as raw_text,
        {{ reject_reason(
            required_check('task_id')
            + timestamp_check('created_at', required=true)
            + date_check('activity_date')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('task_id') }} as task_id,
        {{ nullif_blank('who_id') }} as who_id,
        {{ nullif_blank('subject') }} as subject,
        {{ nullif_blank('task_type') }} as task_type,
        {{ parsed_timestamp('created_at') }} as created_at,
        {{ parsed_date('activity_date') }} as activity_date,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ row_outcome_columns(
            nullif_blank('task_id'), parsed_timestamp('created_at'), parse_boolean('is_deleted')
        ) }}
    from checked
)

select * from final
