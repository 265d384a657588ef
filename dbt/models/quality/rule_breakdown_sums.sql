-- A count stated with its parts ('6 807 anställda varav 6 339 tillsvidareanställda och 468
-- vikarier') equals the sum of the parts. Parts are the other breakdowns of the same count KPI,
-- unit, period, scenario and extraction family stated on the total's line or the next
-- {{ var('quality_breakdown_window', 3) }} lines (one 'varav' sentence); at least two parts.
-- Difference columns are not parts; a number whose measure was carried from an earlier
-- sentence is too doubtful to be either.
with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where value_kind = 'count'
        and value is not null
        and not is_difference_breakdown
        and is_direct

),

totals as (

    select * from observations
    where breakdown = 'total'

),

parts as (

    select
        totals.kpi_observation_id as total_id,
        parts.breakdown,
        arg_min(parts.value, parts.source_line) as value,
        min(parts.source_line) as source_line,
        arg_min(parts.source_text, parts.source_line) as source_text
    from totals
    inner join observations as parts
        on parts.document = totals.document
        and parts.kpi_code = totals.kpi_code
        and parts.org_unit_key = totals.org_unit_key
        and parts.period_start = totals.period_start
        and parts.period_end = totals.period_end
        and parts.scenario = totals.scenario
        and parts.method_family = totals.method_family
        and parts.breakdown <> 'total'
        and parts.source_line between totals.source_line and totals.source_line + {{ var('quality_breakdown_window', 3) }}
    group by all

),

sums as (

    select
        total_id,
        sum(value) as parts_sum,
        count(*) as parts_count,
        string_agg(breakdown || ' ' || {{ quality_number('value') }}, ' + ' order by source_line, breakdown) as parts_text,
        array_to_string(list_sort(list(distinct source_line)), ', ') as part_lines,
        list(distinct {'line': source_line, 'text': source_text}) as cited_parts
    from parts
    group by total_id
    having count(*) >= 2

),

checked as (

    select
        totals.*,
        sums.parts_sum,
        sums.parts_text,
        sums.part_lines,
        sums.cited_parts,
        {{ quality_tolerance('count') }} as tolerance,
        sums.parts_sum - totals.value as difference
    from totals
    inner join sums on totals.kpi_observation_id = sums.total_id

),

final as (

    select
        {{ surrogate_key(["'total_equals_sum_of_breakdowns'", 'kpi_observation_id']) }} as rule_instance_id,
        'total_equals_sum_of_breakdowns' as rule,
        'warn' as severity,
        document,
        document as documents,
        cast(source_line as varchar) || ' (total); ' || part_lines || ' (parts)' as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        'total ' || {{ quality_number('value') }} || '; ' || parts_text || ' = ' || {{ quality_number('parts_sum') }} as inputs,
        value as expected,
        parts_sum as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        {{ quality_subject('sv') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'totalen ' || {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar)
                || ') stämmer med summan av delarna, ' || parts_text || '.'
            else
                'totalen ' || {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar)
                || ') är inte summan av delarna, ' || parts_text || ' = ' || {{ quality_number('parts_sum', 'sv') }}
                || ': skillnad ' || {{ quality_number('difference', 'sv') }} || '. Kontrollera totalen och delarna.'
        end as message_sv,
        {{ quality_subject('en') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'the total ' || {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar)
                || ') equals the sum of its parts, ' || parts_text || '.'
            else
                'the total ' || {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar)
                || ') does not equal the sum of its parts, ' || parts_text || ' = ' || {{ quality_number('parts_sum') }}
                || ': difference ' || {{ quality_number('difference') }} || ', tolerance ' || {{ quality_number('tolerance') }} || '.'
        end as message_en,
        {{ quality_cite('source_line', 'source_text') }}
            || coalesce(' | ' || array_to_string(list_transform(
                list_filter(list_sort(cited_parts), c -> c.line <> source_line), c -> {{ quality_cite('c.line', 'c.text') }}
            ), ' | '), '') as cited_text
    from checked

)

select * from final
