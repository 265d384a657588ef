-- The same KPI for the same unit, period, scenario and breakdown stated more than once, in
-- one document or in several, must carry one value. Exact statements must agree exactly
-- (199 vs 198 mnkr is a finding); when a statement is hedged ('drygt', 'cirka') the values
-- may differ by {{ var('quality_hedged_share', 0.1) * 100 }} % of the larger magnitude.
with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where value is not null

),

statements as (

    select
        *,
        row_number() over (
            partition by kpi_code, org_unit_key, period_start, period_end, scenario, breakdown
            order by document, source_line, kpi_observation_id
        ) as statement_number,
        count(*) over (
            partition by kpi_code, org_unit_key, period_start, period_end, scenario, breakdown
        ) as statement_count
    from observations

),

groups as (

    select
        kpi_code,
        org_unit_key,
        period_start,
        period_end,
        scenario,
        breakdown,
        min(kpi_name_sv) as kpi_name_sv,
        min(kpi_name_en) as kpi_name_en,
        min(org_unit_name) as org_unit_name,
        min(unit) as unit,
        arg_min(document, statement_number) as document,
        string_agg(distinct document, ', ' order by document) as documents,
        count(distinct document) as document_count,
        arg_min(value, statement_number) as first_value,
        bool_or(is_approximate) as any_approximate,
        max(abs(value)) as largest_magnitude,
        list({'document': document, 'line': source_line, 'value': value} order by statement_number) as stated,
        min(kpi_observation_id) as first_observation_id
    from statements
    where statement_count > 1
    group by all

),

farthest as (

    select
        statements.kpi_code,
        statements.org_unit_key,
        statements.period_start,
        statements.period_end,
        statements.scenario,
        statements.breakdown,
        arg_max(statements.value, abs(statements.value - groups.first_value)) as farthest_value
    from statements
    inner join groups
        on statements.kpi_code = groups.kpi_code
        and statements.org_unit_key = groups.org_unit_key
        and statements.period_start = groups.period_start
        and statements.period_end = groups.period_end
        and statements.scenario = groups.scenario
        and statements.breakdown = groups.breakdown
    group by all

),

checked as (

    select
        groups.*,
        farthest.farthest_value,
        farthest.farthest_value - groups.first_value as difference,
        case
            when groups.any_approximate then {{ var('quality_hedged_share', 0.1) }} * groups.largest_magnitude
            else {{ quality_tolerance('exact') }}
        end as tolerance,
        -- 'rvb_x.txt:3 = -199; rvb_x.txt:1637 = -198' (the document only when several)
        array_to_string(list_transform(groups.stated, s ->
            case when groups.document_count > 1 then s.document || ':' else '' end
            || cast(s.line as varchar)
        ), ', ') as source_lines,
        array_to_string(list_transform(groups.stated, s ->
            case when groups.document_count > 1 then s.document || ':' else 'line ' end
            || cast(s.line as varchar) || ' = ' || {{ quality_number('s.value') }}
        ), '; ') as inputs,
        array_to_string(list_transform(groups.stated, s ->
            {{ quality_number('s.value', 'sv') }} || ' (' || case when groups.document_count > 1 then s.document || ' ' else '' end
            || 'rad ' || cast(s.line as varchar) || ')'
        ), ', ') as stated_sv,
        array_to_string(list_transform(groups.stated, s ->
            {{ quality_number('s.value') }} || ' (' || case when groups.document_count > 1 then s.document || ' ' else '' end
            || 'line ' || cast(s.line as varchar) || ')'
        ), ', ') as stated_en
    from groups
    inner join farthest
        on groups.kpi_code = farthest.kpi_code
        and groups.org_unit_key = farthest.org_unit_key
        and groups.period_start = farthest.period_start
        and groups.period_end = farthest.period_end
        and groups.scenario = farthest.scenario
        and groups.breakdown = farthest.breakdown

),

final as (

    select
        {{ surrogate_key(["'same_fact_same_value'", 'kpi_code', 'org_unit_key', 'period_start', 'period_end', 'scenario', 'breakdown']) }}
            as rule_instance_id,
        'same_fact_same_value' as rule,
        'warn' as severity,
        document,
        documents,
        source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        inputs,
        first_value as expected,
        farthest_value as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        {{ quality_subject('sv') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then 'anges flera gånger med samma värde: ' || stated_sv || '.'
            else 'anges med olika värden: ' || stated_sv || ' (skillnad ' || {{ quality_number('difference', 'sv') }} || ').'
        end as message_sv,
        {{ quality_subject('en') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then 'is stated several times with the same value: ' || stated_en || '.'
            else 'is stated with different values: ' || stated_en || ' (difference ' || {{ quality_number('difference') }} || ').'
        end as message_en
    from checked

)

select * from final
