-- Shares that divide a whole (a pie chart: 'Andel väntande längre än 90 dagar' per specialty)
-- sum to 100 within their rounding (macro quality_rounding_tolerance over half a unit of each
-- share's last decimal), per document, KPI, period, scenario and breakdown. Which KPIs
-- divide a whole is a var (their catalogue definition says 'summerar till 100').
with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where kpi_code in ({{ "'" ~ var('quality_distribution_kpis', ['share_waiting_over_90_days_pct']) | join("', '") ~ "'" }})
        and value is not null
        and not is_difference_breakdown

),

sums as (

    select
        document,
        kpi_code,
        period_start,
        period_end,
        scenario,
        breakdown,
        min(kpi_name_sv) as kpi_name_sv,
        min(kpi_name_en) as kpi_name_en,
        cast(null as varchar) as org_unit_name,
        min(unit) as unit,
        sum(value) as shares_sum,
        {{ quality_rounding_tolerance('sum(half_width)', 'sum(half_width * half_width)') }} as rounding,
        count(*) as share_count,
        string_agg(org_unit_name || ' ' || {{ quality_number('value') }}, ' + ' order by source_line, org_unit_name) as shares_text,
        array_to_string(list_sort(list(distinct source_line)), ', ') as lines,
        min(source_line) as first_line,
        max(source_line) as last_line,
        list(distinct {'line': source_line, 'text': source_text}) as cited
    from observations
    group by all

),

checked as (

    select
        *,
        100.0 as expected,
        shares_sum - 100.0 as difference,
        rounding as tolerance
    from sums

),

final as (

    select
        {{ surrogate_key(["'shares_sum_to_100'", 'document', 'kpi_code', 'period_start', 'period_end', 'scenario', 'breakdown']) }}
            as rule_instance_id,
        'shares_sum_to_100' as rule,
        'warn' as severity,
        document,
        document as documents,
        lines as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        shares_text || ' = ' || {{ quality_number('shares_sum') }} as inputs,
        expected,
        shares_sum as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        {{ quality_subject('sv') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'de ' || cast(share_count as varchar) || ' andelarna (rad ' || cast(first_line as varchar) || '–'
                || cast(last_line as varchar) || ') summerar till 100 procent.'
            else
                'de ' || cast(share_count as varchar) || ' andelarna (rad ' || cast(first_line as varchar) || '–'
                || cast(last_line as varchar) || ') summerar till ' || {{ quality_number('shares_sum', 'sv') }}
                || ' procent, inte 100. Kontrollera andelarna i diagrammet.'
        end as message_sv,
        {{ quality_subject('en') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'the ' || cast(share_count as varchar) || ' shares (lines ' || cast(first_line as varchar) || '–'
                || cast(last_line as varchar) || ') sum to 100 %.'
            else
                'the ' || cast(share_count as varchar) || ' shares (lines ' || cast(first_line as varchar) || '–'
                || cast(last_line as varchar) || ') sum to ' || {{ quality_number('shares_sum') }}
                || ' %, not 100 (tolerance ' || {{ quality_number('tolerance') }} || ').'
        end as message_en,
        array_to_string(list_transform(list_sort(cited), c -> {{ quality_cite('c.line', 'c.text') }}), ' | ') as cited_text
    from checked

)

select * from final
