{#- Configuration (docs/rules.md, "Configuration"). Each variable has one accessor here that validates it and returns
    a SQL expression; a wrong type or an out-of-range value stops the build with a message naming the
    variable. `validate_configuration()` runs them all at the start of every dbt invocation. -#}

{% macro config_error(variable, problem) -%}
    {{ exceptions.raise_compiler_error(
        "Invalid configuration: variable '" ~ variable ~ "' " ~ problem) }}
{%- endmacro %}

{#- A UTC timestamp variable (null allowed) as a SQL literal, or `null`. Accepts ISO-8601 text as
    in docs/rules.md ("Timestamps and values") and YAML timestamps; an offset is converted to UTC. -#}
{% macro timestamp_var_literal(variable) -%}
    {%- set value = var(variable, none) -%}
    {%- if value is none or (value is string and value | trim == '') -%}
        {{ return('null') }}
    {%- endif -%}
    {%- set dt = modules.datetime -%}
    {%- if value is string -%}
        {%- set text = value | trim -%}
        {%- if not modules.re.fullmatch(iso_timestamp_regex(), text) -%}
            {{ config_error(variable, "must be an ISO-8601 timestamp such as 2026-03-01T09:00:00Z, got '"
                ~ text ~ "'") }}
        {%- endif -%}
        {%- if not is_real_timestamp_text(text) -%}
            {{ config_error(variable, "is not a real date and time: '" ~ text ~ "'") }}
        {%- endif -%}
        {%- set iso = text.replace('Z', '+00:00') -%}
        {%- if iso | length == 10 -%}{%- set iso = iso ~ 'T00:00:00' -%}{%- endif -%}
        {%- set parsed = dt.datetime.fromisoformat(iso) -%}
    {%- elif value is number or value is mapping or value is sequence or value is boolean -%}
        {{ config_error(variable, "must be an ISO-8601 timestamp text or null, got " ~ value) }}
    {%- else -%}
        {#- a YAML timestamp or date -#}
        {%- set parsed = value if value.hour is defined else dt.datetime(value.year, value.month, value.day) -%}
    {%- endif -%}
    {%- if parsed.tzinfo is not none -%}
        {#- its UTC moment must stay inside years 1-9999, as for raw timestamps -#}
        {%- set offset = parsed.utcoffset() -%}
        {%- set naive = parsed.replace(tzinfo=none) -%}
        {%- if (offset > dt.timedelta(0) and naive - dt.datetime.min < offset)
            or (offset < dt.timedelta(0) and dt.datetime.max - naive < -offset) -%}
            {{ config_error(variable, "is outside the years 1 to 9999 in UTC: '" ~ value ~ "'") }}
        {%- endif -%}
        {%- set parsed = parsed.astimezone(modules.pytz.utc).replace(tzinfo=none) -%}
    {%- endif -%}
    {{ return("cast('" ~ parsed.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)") }}
{%- endmacro %}

{#- True when ISO-8601 text (already matched by the format) names a real moment: month 1-12, a day
    of that month, hour 0-23, minute and second 0-59, offset hours 0-23. -#}
{% macro is_real_timestamp_text(text) -%}
    {%- set m = modules.re.match(
        '([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?'
        ~ '[^+-]*(?:[+-]([0-9]{2}):([0-9]{2}))?$', text) -%}
    {%- if m is none -%}{{ return(false) }}{%- endif -%}
    {%- set year = m.group(1) | int -%}
    {%- set month = m.group(2) | int -%}
    {%- set day = m.group(3) | int -%}
    {%- if year < 1 -%}{{ return(false) }}{%- endif -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- if month < 1 or month > 12 or day < 1 or day > month_days[month - 1] -%}
        {{ return(false) }}
    {%- endif -%}
    {%- for group, limit in [(4, 23), (5, 59), (6, 59), (7, 23), (8, 59)] -%}
        {%- if m.group(group) is not none and (m.group(group) | int) > limit -%}
            {{ return(false) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}

{#- `web_chat_enabled_at` (t0): SQL timestamp literal or `null` (integration off). -#}
{% macro web_chat_enabled_at() -%}
    {{ return(timestamp_var_literal('web_chat_enabled_at')) }}
{%- endmacro %}

{#- `as_of`: the "now" for open opportunities; the run's start time (UTC) when null. A model
    that calls it must carry the tag `build_time`: an incremental `chat-touchpoints build` always
    rebuilds those models (and what reads them) while `as_of` is null, since their rows change
    with the time of the build, not only with new raw rows (README "Scheduled builds"). -#}
{% macro as_of() -%}
    {%- if execute and model is defined and model is mapping and model.get('resource_type') == 'model'
        and 'build_time' not in (model.get('tags') or []) -%}
        {{ exceptions.raise_compiler_error(
            "model " ~ model.get('name') ~ " calls as_of(), so its rows depend on the time of the "
            ~ "build when as_of is null: give it the tag build_time (config(tags=['build_time']))") }}
    {%- endif -%}
    {%- set literal = timestamp_var_literal('as_of') -%}
    {%- if literal == 'null' -%}
        {{ return("cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)") }}
    {%- endif -%}
    {{ return(literal) }}
{%- endmacro %}

{#- `chat_campaign_types`: a list of campaign type names. Returns a boolean SQL expression telling
    whether `expr` is one of them (case-sensitive, as CRM picklist values are). -#}
{% macro is_chat_campaign_type(expr) -%}
    {%- set types = var('chat_campaign_types', ['Chat']) -%}
    {%- if types is string -%}{%- set types = [types] -%}{%- endif -%}
    {%- if types is not sequence or types is mapping -%}
        {{ config_error('chat_campaign_types', "must be a list of campaign type names, got " ~ types) }}
    {%- endif -%}
    {%- for t in types -%}
        {%- if t is not string or t | trim == '' -%}
            {{ config_error('chat_campaign_types', "must contain only non-empty texts, got " ~ t) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if types | length == 0 -%}{{ return('false') }}{%- endif -%}
    {%- set quoted = [] -%}
    {%- for t in types -%}{%- do quoted.append("'" ~ t.replace("'", "''") ~ "'") -%}{%- endfor -%}
    {{ return('(' ~ expr ~ ' in (' ~ quoted | join(', ') ~ '))') }}
{%- endmacro %}

{#- `custom_attribution_weights`: percentages per position of the Custom model, summing to 100.
    Returns a dict of fractions keyed first_touch, lead_creation, opportunity_creation, closed, middle. -#}
{% macro custom_attribution_weights() -%}
    {%- set keys = ['first_touch', 'lead_creation', 'opportunity_creation', 'closed', 'middle'] -%}
    {%- set value = var('custom_attribution_weights') -%}
    {%- if value is not mapping -%}
        {{ config_error('custom_attribution_weights', "must be a mapping of " ~ keys | join(', ')
            ~ " to percentages, got " ~ value) }}
    {%- endif -%}
    {%- for k in value -%}
        {%- if k not in keys -%}
            {{ config_error('custom_attribution_weights', "has an unknown position '" ~ k
                ~ "' (expected " ~ keys | join(', ') ~ ")") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set result = {} -%}
    {%- set ns = namespace(total=0) -%}
    {%- for k in keys -%}
        {%- set w = value.get(k, 0) -%}
        {%- if w is boolean or w is not number or w < 0 or w > 100 -%}
            {{ config_error('custom_attribution_weights', "position '" ~ k
                ~ "' must be a number between 0 and 100, got " ~ w) }}
        {%- endif -%}
        {%- set ns.total = ns.total + w -%}
        {%- do result.update({k: w / 100.0}) -%}
    {%- endfor -%}
    {%- if (ns.total - 100) | abs > 0.000001 -%}
        {{ config_error('custom_attribution_weights', "must sum to 100, but sums to " ~ ns.total) }}
    {%- endif -%}
    {{ return(result) }}
{%- endmacro %}

{#- A boolean variable, strictly true or false. -#}
{% macro boolean_var(variable, default) -%}
    {%- set value = var(variable, default) -%}
    {%- if value is boolean -%}{{ return(value) }}{%- endif -%}
    {%- if value is string and value | trim | lower in ['true', 'false'] -%}
        {{ return(value | trim | lower == 'true') }}
    {%- endif -%}
    {{ config_error(variable, "must be true or false, got '" ~ value ~ "'") }}
{%- endmacro %}

{#- `msi_package_version` as a list of integers: dot-separated integers, optionally prefixed by `v`;
    missing parts count as 0. -#}
{% macro msi_package_version_parts() -%}
    {%- set value = var('msi_package_version', '2.4.0') -%}
    {%- set text = (value | string) | trim -%}
    {%- if value is boolean or value is none
        or not modules.re.fullmatch('[vV]?[0-9]+([.][0-9]+)*', text) -%}
        {{ config_error('msi_package_version', "must be a version such as 2.4.0 (dot-separated "
            ~ "integers, optionally prefixed by v), got '" ~ text ~ "'") }}
    {%- endif -%}
    {#- YAML reads an unquoted 2.10 as the number 2.1: only quoted text is unambiguous -#}
    {%- if value is number and '.' in text -%}
        {{ config_error('msi_package_version', "must be quoted text such as '2.10.0': the number "
            ~ text ~ " may have lost digits when YAML read it") }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for p in text.lstrip('vV').split('.') -%}{%- do parts.append(p | int) -%}{%- endfor -%}
    {{ return(parts) }}
{%- endmacro %}

{% macro msi_package_version_text() -%}
    {{ return((var('msi_package_version', '2.4.0') | string) | trim) }}
{%- endmacro %}

{#- True when the installed package is 2.4.0 or newer, compared part by part as integers. -#}
{% macro package_version_ok() -%}
    {%- set parts = msi_package_version_parts() -%}
    {%- set required = [2, 4, 0] -%}
    {%- set n = [parts | length, required | length] | max -%}
    {%- for i in range(n) -%}
        {%- set a = parts[i] if i < parts | length else 0 -%}
        {%- set b = required[i] if i < required | length else 0 -%}
        {%- if a != b -%}{{ return(a > b) }}{%- endif -%}
    {%- endfor -%}
    {{ return(true) }}
{%- endmacro %}

{#- Only the presence of the key matters; its value never leaves this macro. It is read only when
    dbt executes: while parsing, dbt stores the value of every environment variable a model renders
    in target/partial_parse.msgpack, so at parse time the key reads as absent (docs/rules.md,
    "Configuration" and "Bad input and row accounting"). -#}
{% macro api_secret_key_present() -%}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set value = var('msi_api_secret_key', '') -%}
    {%- if value is not none and value is not string -%}
        {{ config_error('msi_api_secret_key', "must be text") }}
    {%- endif -%}
    {{ return(value is not none and value | trim != '') }}
{%- endmacro %}

{#- `chat_dedup_mode`: how CRM chat tracking after t0 is deduplicated (docs/rules.md,
    "Deduplication"). Returns the validated text: `cutover` (every CRM chat touchpoint after t0 is
    cut) or `matched` (cut only beside a kept Web Chat of the same person). -#}
{% macro chat_dedup_mode() -%}
    {%- set modes = ['cutover', 'matched'] -%}
    {%- set value = var('chat_dedup_mode', 'cutover') -%}
    {%- if value is not string or value not in modes -%}
        {{ config_error('chat_dedup_mode', "must be one of " ~ modes | join(', ') ~ ", got '"
            ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- `chat_match_window_hours`: how far apart (whole hours, 1 to 720) a CRM chat touchpoint and a
    Web Chat of the same person may be to be the same chat. Returns the validated integer. -#}
{% macro chat_match_window_hours() -%}
    {%- set value = var('chat_match_window_hours', 24) -%}
    {%- set text = (value | string) | trim -%}
    {%- if value is boolean or value is none or value is mapping
        or (value is not number and value is not string)
        or not modules.re.fullmatch('[0-9]+', text) -%}
        {{ config_error('chat_match_window_hours', "must be a whole number of hours, got '"
            ~ text ~ "'") }}
    {%- endif -%}
    {%- set hours = text | int -%}
    {%- if hours < 1 or hours > 720 -%}
        {{ config_error('chat_match_window_hours', "must be between 1 and 720 hours, got "
            ~ hours) }}
    {%- endif -%}
    {{ return(hours) }}
{%- endmacro %}

{#- The chat match window as a SQL interval, to add to or compare with timestamp differences. -#}
{% macro chat_match_window() -%}
    {{ return(adapter.dispatch('hours_interval', 'chat_touchpoints')(chat_match_window_hours())) }}
{%- endmacro %}

{% macro default__hours_interval(hours) -%}
    interval '{{ hours }} hours'
{%- endmacro %}

{% macro spark__hours_interval(hours) -%}
    interval {{ hours }} hours
{%- endmacro %}

{#- Runs every accessor so that a bad value stops the invocation before any model is built. -#}
{% macro validate_configuration() -%}
    {%- do web_chat_enabled_at() -%}
    {%- do as_of() -%}
    {%- do is_chat_campaign_type('x') -%}
    {%- do custom_attribution_weights() -%}
    {%- do package_version_ok() -%}
    {%- do boolean_var('dynamic_chat_setup', true) -%}
    {%- do boolean_var('enable_dynamic_chat_data', true) -%}
    {%- do api_secret_key_present() -%}
    {%- do chat_dedup_mode() -%}
    {%- do chat_match_window_hours() -%}
    select 1 as configuration_is_valid
{%- endmacro %}
