{#- Shared pieces of the reconciliation rules in models/quality. Tolerances are vars so they
    can be tuned in one place; the defaults reflect rounding in the reports. -#}

{% macro quality_tolerance(kind) -%}
    {%- set defaults = {'mnkr': 1, 'count': 1, 'percent': 0.5, 'exact': 0} -%}
    cast({{ var('quality_tolerance_' ~ kind, defaults[kind]) }} as double)
{%- endmacro %}

{#- A rule instance passes when its difference is within tolerance (a missing difference fails:
    the rule could not be shown to hold). The epsilon absorbs binary floating point noise. -#}
{% macro quality_passed(difference, tolerance) -%}
    coalesce(abs({{ difference }}) <= {{ tolerance }} + 1e-9, false)
{%- endmacro %}

{#- A number as an analyst reads it: at most two decimals, no trailing zeros; Swedish uses a
    decimal comma. -#}
{% macro quality_number(expression, lang='en') -%}
    coalesce(
        {%- if lang == 'sv' %}
        replace(rtrim(rtrim(printf('%.2f', cast({{ expression }} as double)), '0'), '.'), '.', ','),
        {%- else %}
        rtrim(rtrim(printf('%.2f', cast({{ expression }} as double)), '0'), '.'),
        {%- endif %}
        '–'
    )
{%- endmacro %}

{#- 'yyyy-mm-dd' or 'yyyy-mm-dd–yyyy-mm-dd' for a period. -#}
{% macro quality_period(start_expression, end_expression) -%}
    case
        when {{ start_expression }} is null or {{ start_expression }} = {{ end_expression }}
            then coalesce(strftime({{ end_expression }}, '%Y-%m-%d'), '?')
        else strftime({{ start_expression }}, '%Y-%m-%d') || '–' || strftime({{ end_expression }}, '%Y-%m-%d')
    end
{%- endmacro %}

{#- The columns every rule model ends with, in this order, so consistency_rule_instances can
    union them. -#}
{% macro quality_instance_columns() -%}
    rule_instance_id, rule, severity, document, documents, source_lines, kpi_code, org_unit_name,
    scenario, breakdown, period_start, period_end, unit, inputs, expected, actual, difference,
    tolerance, passed, message_sv, message_en
{%- endmacro %}

{#- What a message is about: 'Budgetavvikelse, Hälso- och sjukvårdsnämnden, 2022-01-01–2022-12-31
    (forecast, breakdown X)'. Expects columns kpi_name_sv/kpi_name_en, kpi_code, org_unit_name,
    period_start, period_end, scenario and breakdown. -#}
{% macro quality_subject(lang='en') -%}
    coalesce({{ 'kpi_name_sv' if lang == 'sv' else 'kpi_name_en' }}, kpi_code, '?')
    || coalesce(', ' || org_unit_name, '')
    || ', ' || {{ quality_period('period_start', 'period_end') }}
    || case when scenario is not null and scenario <> 'actual' then ' (' || scenario || ')' else '' end
    || case when breakdown is not null and breakdown <> 'total' then ' [' || breakdown || ']' else '' end
{%- endmacro %}
