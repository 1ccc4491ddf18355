-- One row per raw row of raw.crm_opportunities: parsed, with its reject reason and outcome.
-- depends_on: {{ sample_seed('crm_opportunities') }} (the sample seed; a --raw file replaces it)
-- parsed once into a table: stg_, rejected_rows, row_accounting and tests all read it
{{ config(
    materialized=incremental_materialization(),
    unique_key='row_key',
    incremental_strategy=staging_incremental_strategy(),
) }}

with

source as (
    {{ raw_rows_to_parse(source('crm', 'crm_opportunities'), 'opportunity_id') }}
),

-- each timestamp, date and number read once: the typed column and its reject check
-- both read `<column>__parsed` (macros/parsing.sql)
parsed_values as (
    select
        *,
        {{ parse_timestamp('created_at') }} as created_at__parsed,
        {{ parse_date('close_date') }} as close_date__parsed,
        {{ parse_number('amount') }} as amount__parsed
    from source
),

-- the reject reason, and the raw values joined as text: the duplicate rule's last tie-break
checked as (
    select
        *,
        {{ raw_row_text(raw_table_columns('crm_opportunities')) }} as raw_text,
        {{ reject_reason(
            required_check('opportunity_id')
            + timestamp_check('created_at', required=true)
            + date_check('close_date')
            + boolean_check('is_closed')
            + boolean_check('is_won')
            + number_check('amount')
            + boolean_check('is_deleted')
            + [(parse_boolean('is_closed') ~ " and " ~ nullif_blank('close_date') ~ " is null",
                'closed_without_close_date')]
        ) }} as reject_reason
    from parsed_values
),

final as (
    select
        {{ nullif_blank('opportunity_id') }} as opportunity_id,
        {{ nullif_blank('account_id') }} as account_id,
        {{ nullif_blank('opportunity_name') }} as opportunity_name,
        {{ parsed_timestamp('created_at') }} as created_at,
        {{ parsed_date('close_date') }} as close_date,
        coalesce({{ parse_boolean('is_closed') }}, false) as is_closed,
        coalesce({{ parse_boolean('is_won') }}, false) as is_won,
        {{ parsed_number('amount') }} as amount,
        coalesce({{ parse_boolean('is_deleted') }}, false) as is_deleted,
        loaded_at,
        {{ row_outcome_columns(
            nullif_blank('opportunity_id'),
            parsed_timestamp('created_at'),
            parse_boolean('is_deleted')
        ) }}
    from checked
)

select * from final
