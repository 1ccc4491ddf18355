-- One row per Marketo chat activity (the rule book, "Timestamps and values" and "Chat activities"):
-- valid, deduplicated, chat activity types only, with the attributes of its type parsed and its
-- status canonical.
with

base as (
    select * from {{ ref('base_marketo__activities') }}
),

final as (
    select
        activity_id,
        marketo_lead_id,
        activity_type,
        activity_at,
        dialogue_name,
        page_url,
        status,
        agent_name,
        scheduled_for,
        goal_name,
        document_name,
        loaded_at
    from base
    where row_outcome = 'accepted'
)

select * from final
