{#- Incremental models downstream of staging (README "Scheduled builds"; docs/decisions.md,
    "Incremental builds").

    Such a model recomputes only the rows the new data can reach. Before it is written, a pre-hook
    collects the keys to recompute into `<model>__changes` (compared with what the model holds
    now, so that a build that failed in between loses nothing) and deletes the model's rows of
    those keys; the model then appends the rows it computes for those keys, and a post-hook drops
    the list. -#}

{#- The relation holding the keys an incremental build recomputes for the current model. -#}
{% macro changes_relation() -%}
    {{ return(api.Relation.create(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__changes')) }}
{%- endmacro %}

{#- Pre-hooks of a downstream incremental model: in an incremental build, `<model>__changes`
    holds one row per `key` value that the macro `changes` selects (called only then: it reads
    the model as held), and the model's rows of those keys are deleted. Empty in a full build. -#}
{% macro collect_changes(key, changes) -%}
    {%- if is_incremental() -%}
        {%- set relation = changes_relation() -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query('create table ' ~ relation ~ ' as select distinct ' ~ key ~ ' from ('
            ~ changes() ~ ') as changed where ' ~ key ~ ' is not null') -%}
        delete from {{ this }} where {{ key }} in (select {{ key }} from {{ relation }})
    {%- endif -%}
{%- endmacro %}

{#- In the model's SQL: a condition keeping the rows of the keys to recompute (always true in a
    full build). -#}
{% macro only_changed(key) -%}
    {%- if is_incremental() -%}
        {{ key }} in (select {{ key }} from {{ changes_relation() }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: the list of keys is dropped after the model was written. -#}
{% macro drop_changes() -%}
    {%- if is_incremental() -%}
        drop table if exists {{ changes_relation() }}
    {%- endif -%}
{%- endmacro %}

{#- The keys a downstream model keyed by `key` recomputes for the raw rows loaded since the cutoff
    (new, superseding, deleting or rejected rows alike): the key each row of the `base_` model
    `base` loaded since then names now (`base_key`, an expression over `base`'s columns; `key`
    itself by default), and the key the model holds for the same raw id (`id`), which that row
    may have moved away from, or holds from a raw row loaded since then, which may be gone (a raw
    table replaced by one without stamps, all of it after the cutoff). -#}
{% macro keys_loaded_since_cutoff(base, id, key, base_key=none) -%}
    {%- set cutoff = incremental_cutoff() %}
    select {{ base_key or key }} as {{ key }}
    from {{ base }}
    where loaded_at >= {{ cutoff }}

    union all

    select {{ key }}
    from {{ this }}
    where
        loaded_at >= {{ cutoff }}
        {%- if base_key is not none %}
        -- a key computed from the raw row: the held row of the same id may name another one
        or {{ id }} in (select {{ id }} from {{ base }} where loaded_at >= {{ cutoff }})
        {%- endif %}
{%- endmacro %}

{#- Chat activities (int_chat_activities): each Marketo lead's CRM record, as one row per Marketo
    lead: the contact when its `sfdc_contact_id` is a known contact (the contact wins), else the
    lead when its `sfdc_lead_id` is a known lead; that record's account (the contact's account or
    the lead's matched account), the person's name, the Marketo lead's email and the account's
    name (docs/rules.md, "Chat activities"). -#}
{% macro chat_activity_people() -%}
    select
        linked.*,
        accounts.account_name
    from (
        select
            marketo_leads.marketo_lead_id,
            marketo_leads.email,
            contact_people.contact_id,
            case when contact_people.contact_id is null then lead_people.lead_id end as lead_id,
            case
                when contact_people.contact_id is not null then contact_people.account_id
                else lead_people.account_id
            end as account_id,
            case
                when contact_people.contact_id is not null then contact_people.person_name
                else lead_people.person_name
            end as person_name
        from {{ ref('stg_marketo__leads') }} as marketo_leads
        left join {{ ref('int_people') }} as contact_people
            on contact_people.person_type = 'contact'
            and marketo_leads.sfdc_contact_id = contact_people.contact_id
        left join {{ ref('int_people') }} as lead_people
            on lead_people.person_type = 'lead'
            and marketo_leads.sfdc_lead_id = lead_people.lead_id
    ) as linked
    left join {{ ref('stg_crm__accounts') }} as accounts
        on linked.account_id = accounts.account_id
{%- endmacro %}

{#- The activities an incremental build of int_chat_activities recomputes: those with a raw row
    loaded since the cutoff (new, superseding, deleting or rejected rows alike), those held from
    a raw row loaded since the cutoff, and those whose Marketo lead's CRM record, account, name,
    email or account name now differs from what the model holds. -#}
{% macro chat_activity_changes() -%}
    {{ keys_loaded_since_cutoff(ref('base_marketo__activities'), 'activity_id', 'activity_id') }}

    union all

    select held.activity_id
    from {{ this }} as held
    left join ({{ chat_activity_people() }}) as current_people
        on held.marketo_lead_id = current_people.marketo_lead_id
    where
        {%- for column in ['lead_id', 'contact_id', 'account_id', 'person_name', 'email',
            'account_name'] %}
        {{ 'or ' if not loop.first }}held.{{ column }} is distinct from current_people.{{ column }}
        {%- endfor %}
{%- endmacro %}

{#- Campaign memberships (int_crm_campaign_memberships): the group a membership is ranked in, its
    campaign and its member's record as given (the contact, else the lead), as one null-safe key. -#}
{% macro campaign_membership_group(campaign_id, contact_id, lead_id) -%}
    {{ surrogate_key([
        campaign_id,
        "case when " ~ contact_id ~ " is not null then 'contact' else 'lead' end",
        'coalesce(' ~ contact_id ~ ', ' ~ lead_id ~ ')',
    ]) }}
{%- endmacro %}

{#- The membership groups an incremental build of int_crm_campaign_memberships recomputes: the
    group of a membership with a raw row loaded since the cutoff, the group held for it or held
    from such a raw row (it may have moved, or its raw row may be gone), the groups of a campaign
    whose name, type, sync type or dates changed (or that appeared or went away), and the groups
    whose member's record became known or unknown. -#}
{% macro campaign_membership_changes() -%}
    {%- set campaign_columns = 'campaign_id, campaign_name, campaign_type, touchpoint_sync_type, '
        ~ 'touchpoint_start_date, touchpoint_end_date' %}
    {{ keys_loaded_since_cutoff(
        ref('base_crm__campaign_members'), 'campaign_member_id', 'membership_group_key',
        campaign_membership_group('campaign_id', 'contact_id', 'lead_id')) }}

    union all

    -- the groups, current and held, of the campaigns that differ as held and as they are now
    -- (compared both ways)
    select membership_group_key
    from (
        select
            {{ campaign_membership_group('campaign_id', 'contact_id', 'lead_id') }}
                as membership_group_key,
            campaign_id
        from {{ ref('stg_crm__campaign_members') }}
        union all
        select membership_group_key, campaign_id
        from {{ this }}
    ) as memberships
    where campaign_id in (
        select campaign_id
        from (
            (select {{ campaign_columns }} from {{ ref('stg_crm__campaigns') }}
                except
                select distinct {{ campaign_columns }} from {{ this }})
            union all
            (select distinct {{ campaign_columns }} from {{ this }}
                except
                select {{ campaign_columns }} from {{ ref('stg_crm__campaigns') }})
        ) as changed_campaigns
    )

    union all

    select held.membership_group_key
    from {{ this }} as held
    left join {{ ref('int_people') }} as people
        on held.member_person_type = people.person_type
        and held.member_person_id = people.person_id
    where (held.person_id is null) != (people.person_id is null)
{%- endmacro %}
