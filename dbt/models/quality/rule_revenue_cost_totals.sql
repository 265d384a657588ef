-- Revenue deviation + cost deviation = total budget deviation, for a unit and period when a
-- document states all three. Each statement of the total is one instance (HSN 2022 is stated
-- as -199 and as -198); a part stated twice counts with its first statement.
with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where kpi_code in ('budget_deviation_mnkr', 'revenue_budget_deviation_mnkr', 'cost_budget_deviation_mnkr')
        and value is not null

),

parts as (

    select
        document,
        org_unit_key,
        period_start,
        period_end,
        scenario,
        breakdown,
        arg_min(value, source_line) filter (where kpi_code = 'revenue_budget_deviation_mnkr') as revenue,
        min(source_line) filter (where kpi_code = 'revenue_budget_deviation_mnkr') as revenue_line,
        arg_min(value, source_line) filter (where kpi_code = 'cost_budget_deviation_mnkr') as cost,
        min(source_line) filter (where kpi_code = 'cost_budget_deviation_mnkr') as cost_line
    from observations
    group by all

),

checked as (

    select
        totals.*,
        parts.revenue,
        parts.revenue_line,
        parts.cost,
        parts.cost_line,
        parts.revenue + parts.cost as parts_sum,
        {{ quality_tolerance('mnkr') }} as tolerance,
        parts.revenue + parts.cost - totals.value as difference
    from observations as totals
    inner join parts
        on totals.document = parts.document
        and totals.org_unit_key = parts.org_unit_key
        and totals.period_start = parts.period_start
        and totals.period_end = parts.period_end
        and totals.scenario = parts.scenario
        and totals.breakdown = parts.breakdown
    where totals.kpi_code = 'budget_deviation_mnkr'
        and parts.revenue is not null
        and parts.cost is not null

),

final as (

    select
        {{ surrogate_key(["'revenue_plus_cost_equals_total'", 'kpi_observation_id']) }} as rule_instance_id,
        'revenue_plus_cost_equals_total' as rule,
        'warn' as severity,
        document,
        document as documents,
        cast(source_line as varchar) || ' (total); ' || cast(revenue_line as varchar) || ' (revenue); '
            || cast(cost_line as varchar) || ' (costs)' as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        'total ' || {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar) || '); revenue '
            || {{ quality_number('revenue') }} || ' + costs ' || {{ quality_number('cost') }} || ' = '
            || {{ quality_number('parts_sum') }} as inputs,
        value as expected,
        parts_sum as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        {{ quality_subject('sv') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'total avvikelse ' || {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar)
                || ') stämmer med intäkternas och kostnadernas avvikelser, ' || {{ quality_number('revenue', 'sv') }}
                || ' + ' || {{ quality_number('cost', 'sv') }} || '.'
            else
                'total avvikelse ' || {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar)
                || ') stämmer inte med intäkternas (' || {{ quality_number('revenue', 'sv') }} || ', rad '
                || cast(revenue_line as varchar) || ') och kostnadernas (' || {{ quality_number('cost', 'sv') }}
                || ', rad ' || cast(cost_line as varchar) || ') avvikelser, som summerar till '
                || {{ quality_number('parts_sum', 'sv') }} || ': skillnad ' || {{ quality_number('difference', 'sv') }}
                || ', tolerans ' || {{ quality_number('tolerance', 'sv') }} || '.'
        end as message_sv,
        {{ quality_subject('en') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'the total deviation ' || {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar)
                || ') equals revenue plus cost deviations, ' || {{ quality_number('revenue') }}
                || ' + ' || {{ quality_number('cost') }} || '.'
            else
                'the total deviation ' || {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar)
                || ') does not equal the revenue deviation (' || {{ quality_number('revenue') }} || ', line '
                || cast(revenue_line as varchar) || ') plus the cost deviation (' || {{ quality_number('cost') }}
                || ', line ' || cast(cost_line as varchar) || '), which sum to '
                || {{ quality_number('parts_sum') }} || ': difference ' || {{ quality_number('difference') }}
                || ', tolerance ' || {{ quality_number('tolerance') }} || '.'
        end as message_en
    from checked

)

select * from final
