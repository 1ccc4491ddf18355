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
    {{ raw_rows_to_parse(source('crm', 'crm_tasks')) }}
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

parsed as (
    select
        {{ nullif_blank('task_id') }} as task_id,
        {{ nullif_blank('who_id') }} as who_id,
        {{ nullif_blank('subject') }} as subject,
        {{ nullif_blank('task_type') }} as task_type,
        {{ parsed_timestamp('created_at') }} as created_at,
        {{ parsed_date('activity_date') }} as activity_date,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ raw_row_text(raw_table_columns('crm_tasks')) }} as raw_row,
        {{ reject_reason(
            required_check('task_id')
            + timestamp_check('created_at', required=true)
            + date_check('activity_date')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from parsed_values
),

-- the parsed rows and, in an incremental build, the rows held for the same ids
all_rows as (
    {{ rows_sharing_new_ids('parsed', 'task_id') }}
),

final as (
    select
        *,
        task_id as source_row_id,
        coalesce(task_id, '') as row_key,
        {{ row_outcome('task_id', 'created_at', 'is_deleted') }} as row_outcome
    from all_rows
)

select * from final
