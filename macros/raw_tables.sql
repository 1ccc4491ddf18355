{#- GENERATED from src/chat_touchpoints/raw_tables.py by
    `python -m chat_touchpoints.raw_tables`: edit that file, then run the command
    (tests/python/test_raw_tables.py checks that they agree). -#}

{#- The raw tables (docs/rules.md, "Timestamps and values"): name -> columns in their specified
    order. -#}
{% macro raw_tables() -%}
    {{ return({
        'web_sessions': ['session_id', 'visitor_id', 'session_started_at', 'landing_page_url',
            'referrer_url', 'utm_source', 'utm_medium', 'utm_campaign', 'chat_tracking_enabled'],
        'drift_chat_events': ['event_id', 'conversation_id', 'session_id', 'event_type',
            'occurred_at', 'email', 'page_url'],
        'crm_accounts': ['account_id', 'account_name', 'website', 'is_deleted'],
        'crm_leads': ['lead_id', 'email', 'first_name', 'last_name', 'company', 'created_at',
            'is_converted', 'converted_contact_id', 'is_deleted'],
        'crm_contacts': ['contact_id', 'account_id', 'email', 'first_name', 'last_name',
            'created_at', 'is_deleted'],
        'crm_opportunities': ['opportunity_id', 'account_id', 'opportunity_name', 'created_at',
            'close_date', 'is_closed', 'is_won', 'amount', 'is_deleted'],
        'crm_campaigns': ['campaign_id', 'campaign_name', 'campaign_type', 'touchpoint_sync_type',
            'touchpoint_start_date', 'touchpoint_end_date', 'is_deleted'],
        'crm_campaign_members': ['campaign_member_id', 'campaign_id', 'lead_id', 'contact_id',
            'status', 'has_responded', 'first_responded_at', 'buyer_touchpoint_at', 'created_at',
            'is_deleted'],
        'crm_tasks': ['task_id', 'who_id', 'subject', 'task_type', 'created_at', 'activity_date',
            'is_deleted'],
        'marketo_leads': ['marketo_lead_id', 'email', 'sfdc_lead_id', 'sfdc_contact_id'],
        'marketo_activities': ['activity_id', 'marketo_lead_id', 'activity_type', 'activity_at',
            'primary_attribute_value', 'attributes'],
    }) }}
{%- endmacro %}

{#- The columns of one raw table, in their specified order (what `raw_row_text()` joins). -#}
{% macro raw_table_columns(table_name) -%}
    {{ return(raw_tables()[table_name]) }}
{%- endmacro %}

{#- The raw tables and the `base_` model that parses each. `audit.rejected_rows` and
    `audit.row_accounting` read every table through this one list, so that each raw row is
    accounted for exactly once (docs/rules.md, "Bad input and row accounting"). -#}
{% macro raw_table_base_models() -%}
    {{ return([
        ('web_sessions', 'base_web__sessions'),
        ('drift_chat_events', 'base_drift__chat_events'),
        ('crm_accounts', 'base_crm__accounts'),
        ('crm_leads', 'base_crm__leads'),
        ('crm_contacts', 'base_crm__contacts'),
        ('crm_opportunities', 'base_crm__opportunities'),
        ('crm_campaigns', 'base_crm__campaigns'),
        ('crm_campaign_members', 'base_crm__campaign_members'),
        ('crm_tasks', 'base_crm__tasks'),
        ('marketo_leads', 'base_marketo__leads'),
        ('marketo_activities', 'base_marketo__activities'),
    ]) }}
{%- endmacro %}
