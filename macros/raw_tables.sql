{#- The raw tables of SPEC section 3 and the `base_` model that parses each. `audit.rejected_rows`
    and `audit.row_accounting` read every table through this one list, so that each raw row is
    accounted for exactly once (SPEC 7). -#}
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
