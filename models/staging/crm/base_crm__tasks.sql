-- One row per raw row of raw.crm_tasks: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_tasks') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(materialized='table') }}

with

source as (
    select * from {{ source('crm', 'crm_tasks') }}
),

parsed as (
    select
        {{ nullif_blank('task_id') }} as task_id,
        {{ nullif_blank('who_id') }} as who_id,
        {{ nullif_blank('subject') }} as subject,
        {{ nullif_blank('task_type') }} as task_type,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_date('activity_date') }} as activity_date,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        {{ raw_row_text(['task_id', 'who_id', 'subject', 'task_type', 'created_at',
            'activity_date', 'is_deleted']) }} as raw_row,
        {{ reject_reason(
            required_check('task_id')
            + timestamp_check('created_at', required=true)
            + date_check('activity_date')
            + boolean_check('is_deleted')
        ) }} as reject_reason
    from source
),

final as (
    select
        *,
        task_id as source_row_id,
        {{ row_outcome('task_id', 'created_at', 'is_deleted') }} as row_outcome
    from parsed
)

select * from final
