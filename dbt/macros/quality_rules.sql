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
    union them. cited_text quotes the lines the instance rests on ('rad 3: «...»'). -#}
{% macro quality_instance_columns() -%}
    rule_instance_id, rule, severity, document, documents, source_lines, kpi_code, org_unit_name,
    scenario, breakdown, period_start, period_end, unit, inputs, expected, actual, difference,
    tolerance, passed, message_sv, message_en, cited_text
{%- endmacro %}

{#- One cited line: 'rad 1637: «Hälso- och sjukvårdsnämndens verksamheter redovisar ...»', the
    text cut at 240 characters. -#}
{% macro quality_cite(line_expression, text_expression) -%}
    'rad ' || coalesce(cast({{ line_expression }} as varchar), '?') || ': «'
    || case
        when length(trim({{ text_expression }})) > 240 then left(trim({{ text_expression }}), 240) || ' …'
        else coalesce(trim({{ text_expression }}), '')
    end || '»'
{%- endmacro %}

{#- Decimals a value is written with, as far as a double tells (6,7 -> 1; 8,97 -> 2; 80 -> 0). -#}
{% macro quality_decimals(expression) -%}
    case
        when abs({{ expression }} - round({{ expression }})) < 1e-9 then 0
        when abs({{ expression }} * 10 - round({{ expression }} * 10)) < 1e-9 then 1
        else 2
    end
{%- endmacro %}

{#- Half the width of what a statement covers, for the tolerance of a sum: from its interval
    (value_low..value_high) when the extraction gave one; a count printed in a table or chart is
    exact; otherwise half a unit of the last decimal the value is written with (a value without
    an interval is taken to be rounded there). -#}
{% macro quality_half_width(prefix='') -%}
    case
        when {{ prefix }}value_high > {{ prefix }}value_low then ({{ prefix }}value_high - {{ prefix }}value_low) / 2
        when {{ prefix }}binding in ('table', 'chart') and {{ prefix }}unit = 'count' then 0.0
        else 0.5 * power(10, -{{ quality_decimals(prefix ~ 'value') }})
    end
{%- endmacro %}

{#- Swedish words for the scenario and breakdown codes a message may name (none for the
    defaults 'actual' and 'total'). -#}
{% macro quality_scenario_sv(expression) -%}
    case {{ expression }}
        when 'forecast' then 'prognos'
        when 'target' then 'målvärde'
        when 'budget' then 'budget'
        else null
    end
{%- endmacro %}

{% macro quality_breakdown_sv(expression) -%}
    case
        when {{ expression }} is null or {{ expression }} = 'total' then null
        when {{ expression }} like 'diff_vs_%' then 'förändring sedan '
            || replace(substr({{ expression }}, length('diff_vs_') + 1), '_', '-')
        when {{ expression }} like 'change_%' or {{ expression }} like 'column_%' then null
        else {{ expression }}
    end
{%- endmacro %}

{#- What a message is about: 'Budgetavvikelse, Hälso- och sjukvårdsnämnden, 2022-01-01–2022-12-31
    (prognos, förändring sedan 2021-12)'. Expects columns kpi_name_sv/kpi_name_en, kpi_code,
    org_unit_name, period_start, period_end, scenario and breakdown. The Swedish subject never
    shows a code: a KPI without a Swedish name is 'Värdet'. -#}
{% macro quality_subject(lang='en') -%}
    {%- if lang == 'sv' -%}
    coalesce(kpi_name_sv, 'Värdet')
    || coalesce(', ' || org_unit_name, '')
    || case when period_end is not null then ', ' || {{ quality_period('period_start', 'period_end') }} else '' end
    || coalesce(' (' || nullif(concat_ws(', ', {{ quality_scenario_sv('scenario') }}, {{ quality_breakdown_sv('breakdown') }}), '') || ')', '')
    {%- else -%}
    coalesce(kpi_name_en, kpi_code, '?')
    || coalesce(', ' || org_unit_name, '')
    || ', ' || {{ quality_period('period_start', 'period_end') }}
    || case when scenario is not null and scenario <> 'actual' then ' (' || scenario || ')' else '' end
    || case when breakdown is not null and breakdown <> 'total' then ' [' || breakdown || ']' else '' end
    {%- endif -%}
{%- endmacro %}

{#- Swedish words for what a stated count counts ('delmål') and for its category ('inte
    uppfyllda', 'gröna', 'avslutade'); none for a total. -#}
{% macro quality_count_subject_sv(expression) -%}
    case {{ expression }}
        when 'goals' then 'mål'
        when 'sub_goals' then 'delmål'
        when 'indicators' then 'indikatorer'
        when 'assignments' then 'uppdrag'
        when 'measures' then 'åtgärder'
        else 'poster'
    end
{%- endmacro %}

{% macro quality_count_category_sv(expression) -%}
    case {{ expression }}
        when 'met' then 'uppfyllda'
        when 'partly_met' then 'delvis uppfyllda'
        when 'not_met' then 'inte uppfyllda'
        when 'no_assessment' then 'utan bedömning'
        when 'green' then 'gröna'
        when 'yellow' then 'gula'
        when 'red' then 'röda'
        when 'completed' then 'avslutade'
        when 'in_progress' then 'pågående'
        when 'not_started' then 'ej påbörjade'
        when 'total' then 'totalt'
        else 'övriga'
    end
{%- endmacro %}

{#- The rounding a sum of rounded statements allows: at most the sum of their half-widths
    (every one rounded the same way), and with many parts no more than three standard deviations
    of independent rounding errors (a half-width h rounds uniformly, variance h²/3), since a pie
    of fourteen slices all rounded up together is not a reading of the report but a wish. -#}
{% macro quality_rounding_tolerance(sum_half_widths, sum_squared_half_widths) -%}
    least(({{ sum_half_widths }}), sqrt(3 * ({{ sum_squared_half_widths }})))
{%- endmacro %}
