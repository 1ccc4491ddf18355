{#- The attribution models and their arithmetic (docs/rules.md, "Attribution"), in one place.
    `attribution_models()` is the weight table: the model `int_attribution_models` makes it a
    table, and every weight of the project (the opportunity weights of `int_attribution_weights`,
    the person-level weights of `int_attribution_person_weights`) is computed from that table by
    the macros below, written once for all models. -#}

{#- One dict per model, in the order of the rule book's table:
    - `name`: the model's key (`attribution_model` in `rpt_channel_attribution`);
    - `label`: its name for people;
    - `pct_column` / `revenue_column`: its columns in `fct_attribution_touchpoints` (and
      `pct_column` in `fct_touchpoints` for the person-level models);
    - `shares`: the base share (a fraction) of each position: `first_touch`, `lead_creation`,
      `opportunity_creation`, `closed` (Closed or Pending) and `middle`;
    - `middle_until`: the model's closing milestone; its middle touches are the Middle touches
      strictly between FT and that milestone (`lead_creation`, `opp_creation` or `close`;
      none when the model has no Middle share);
    - `is_person_level`: the model is also computed over each person record's journey
      (`fct_touchpoints`), where only FT and LC exist.
    Custom takes its shares from the validated `custom_attribution_weights` variable. -#}
{% macro attribution_models() -%}
    {%- set validated = custom_attribution_weights() -%}
    {#- the variable sums to 100 within 1e-6; rescaled so that the shares sum to 1 exactly -#}
    {%- set total = validated.values() | sum -%}
    {%- set custom = {} -%}
    {%- for position, share in validated.items() -%}
        {%- do custom.update({position: share / total}) -%}
    {%- endfor -%}
    {%- set models = [
        {'name': 'first_touch', 'label': 'First Touch', 'middle_until': none,
            'is_person_level': true,
            'shares': {'first_touch': 1.0, 'lead_creation': 0.0, 'opportunity_creation': 0.0,
                'closed': 0.0, 'middle': 0.0}},
        {'name': 'lead_creation', 'label': 'Lead Creation', 'middle_until': none,
            'is_person_level': true,
            'shares': {'first_touch': 0.0, 'lead_creation': 1.0, 'opportunity_creation': 0.0,
                'closed': 0.0, 'middle': 0.0}},
        {'name': 'u_shape', 'label': 'U-Shaped', 'middle_until': 'lead_creation',
            'is_person_level': true,
            'shares': {'first_touch': 0.4, 'lead_creation': 0.4, 'opportunity_creation': 0.0,
                'closed': 0.0, 'middle': 0.2}},
        {'name': 'w_shape', 'label': 'W-Shaped', 'middle_until': 'opp_creation',
            'is_person_level': false,
            'shares': {'first_touch': 0.3, 'lead_creation': 0.3, 'opportunity_creation': 0.3,
                'closed': 0.0, 'middle': 0.1}},
        {'name': 'full_path', 'label': 'Full Path', 'middle_until': 'close',
            'is_person_level': false,
            'shares': {'first_touch': 0.225, 'lead_creation': 0.225,
                'opportunity_creation': 0.225, 'closed': 0.225, 'middle': 0.1}},
        {'name': 'custom', 'label': 'Custom', 'middle_until': 'close',
            'is_person_level': false,
            'shares': custom},
    ] -%}
    {%- for model in models -%}
        {%- do model.update({
            'pct_column': model.name ~ '_pct',
            'revenue_column': 'revenue_' ~ model.name,
        }) -%}
    {%- endfor -%}
    {{ return(models) }}
{%- endmacro %}

{#- The positions of a journey: (key in a model's `shares`, stem of its share columns). The
    columns are `<stem>_base_share` (`int_attribution_models`) and `<stem>_share` (effective). -#}
{% macro attribution_positions() -%}
    {{ return([
        ('first_touch', 'first_touch'),
        ('lead_creation', 'lead_creation'),
        ('opportunity_creation', 'opp_creation'),
        ('closed', 'closing'),
        ('middle', 'middle'),
    ]) }}
{%- endmacro %}

{#- A share as a SQL floating-point literal. -#}
{% macro attribution_share_literal(share) -%}
    cast({{ '%.15g' | format(share) }} as {{ float_type() }})
{%- endmacro %}

{#- Select-list items `unheld_share, receiving_positions` of one journey and model: the base
    shares of the positions nobody holds, and the number of held positions whose base share is
    above zero (the positions that receive the unheld shares). `held` maps each position but
    `first_touch` (always held) to a SQL boolean saying whether the journey holds it; the base
    share columns of `int_attribution_models` must be in scope. -#}
{% macro attribution_redistribution(held) -%}
    {%- for key, stem in attribution_positions() if key != 'first_touch' %}
    {% if not loop.first %}+ {% endif -%}
    case when {{ held[key] }} then 0 else {{ stem }}_base_share end
    {%- endfor %} as unheld_share,
    case when first_touch_base_share > 0 then 1 else 0 end
    {%- for key, stem in attribution_positions() if key != 'first_touch' %}
    + case when {{ held[key] }} and {{ stem }}_base_share > 0 then 1 else 0 end
    {%- endfor %} as receiving_positions
{%- endmacro %}

{#- Select-list items `<stem>_share`, the effective share of each position (docs/rules.md,
    "Attribution"): a receiving position gets its base share plus an equal part of the unheld
    shares; with no receiving position the whole weight goes to FT; a position that is not held
    or has no base share gets 0. Needs the columns of `attribution_redistribution()`. -#}
{% macro attribution_effective_shares(held) -%}
    {%- for key, stem in attribution_positions() %}
    cast(case
        {%- if key == 'first_touch' %}
        when receiving_positions = 0 then 1
        when first_touch_base_share > 0
        {%- else %}
        when {{ held[key] }} and {{ stem }}_base_share > 0
        {%- endif %}
            then {{ stem }}_base_share + unheld_share / receiving_positions
        else 0
    end as {{ float_type() }}) as {{ stem }}_share{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The weight of one touch (docs/rules.md, "Attribution"): the sum of the effective shares of
    the positions it holds, plus `middle_touch_share` (its equal part of Middle's share) when it
    is one of the model's middle touches. `flags` maps `first_touch`, `lead_creation`,
    `opportunity_creation`, `closed` and `middle` to SQL booleans over the touch's columns. -#}
{% macro attribution_touch_weight(flags) -%}
cast(
    case when {{ flags.first_touch }} then first_touch_share else 0 end
    + case when {{ flags.lead_creation }} then lead_creation_share else 0 end
    + case when {{ flags.opportunity_creation }} then opp_creation_share else 0 end
    + case when {{ flags.closed }} then closing_share else 0 end
    + case when {{ flags.middle }} then middle_touch_share else 0 end
    as {{ float_type() }}
)
{%- endmacro %}

{#- A weight as an exact decimal with 15 decimal places: the form in which weights are summed
    (`attributed_opportunities`) and multiplied by amounts, so that neither depends on the order
    in which an engine adds floating-point numbers. -#}
{% macro attribution_weight_decimal(weight) -%}
    cast({{ weight }} as decimal(18, 15))
{%- endmacro %}

{#- A revenue share (docs/rules.md, "Attribution"): `amount` (2 decimals) times the weight taken
    to 15 decimals, multiplied exactly and rounded once, half away from zero, to 6 decimals;
    `decimal(38, 6)`. The same SQL on every engine: decimal arithmetic is exact on all of them. -#}
{% macro attribution_revenue(amount, weight) -%}
cast(
    round(
        cast({{ amount }} as decimal(20, 2))
        * {{ attribution_weight_decimal(weight) }},
        6
    ) as decimal(38, 6)
)
{%- endmacro %}

{#- One model's column of a pivot of the long weights (`int_attribution_weights`,
    `int_attribution_person_weights`): `value_column` of the model's row. -#}
{% macro attribution_pivot(value_column, model) -%}
    max(case when attribution_model = '{{ model.name }}' then {{ value_column }} end)
{%- endmacro %}
