-- A stated change in percentage points equals the difference of the two levels stated next to
-- it ('sänkts 2,27 procentenheter ... 6,7 procent ... 8,97 procent'). The text rules leave
-- percentage-point numbers unmapped (raw.unmapped_numbers, unit 'percentage_points'); a fact in
-- percentage points is used as well. The levels are share facts of one KPI, unit, breakdown
-- and scenario, for two periods, within {{ var('quality_change_window', 4) }} lines of the change.
-- Signs are not compared (a decrease is often written as a positive number after 'minskat').
-- Tolerance: one unit of the last decimal of the coarser level (both are rounded).
with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where value is not null

),

unmapped_numbers as (

    select * from {{ ref('unmapped_numbers') }}

),

changes as (

    select
        document_name as document,
        source_line,
        value,
        number_text,
        source_text,
        cast(null as varchar) as kpi_code
    from unmapped_numbers
    where unit = 'percentage_points'
        and value is not null

    union all

    select
        document,
        source_line,
        value,
        cast(value as varchar) as number_text,
        source_text,
        kpi_code
    from observations
    where unit = 'percentage_points'

),

-- levels read firmly: a share whose measure was carried from an earlier sentence is too
-- doubtful to prove a stated change wrong
levels as (

    select * from observations
    where value_kind = 'share'
        and unit = 'percent'
        and not is_difference_breakdown
        and is_direct

),

candidates as (

    select
        changes.document,
        changes.source_line as change_line,
        changes.value as change_value,
        changes.source_text as change_text,
        levels.kpi_code,
        levels.org_unit_key,
        levels.breakdown,
        levels.scenario,
        min(levels.kpi_name_sv) as kpi_name_sv,
        min(levels.kpi_name_en) as kpi_name_en,
        min(levels.org_unit_name) as org_unit_name,
        min(levels.unit) as unit,
        arg_max(levels.value, levels.period_end) as later_value,
        max(levels.period_end) as later_end,
        arg_max(levels.source_line, levels.period_end) as later_line,
        arg_max(levels.source_text, levels.period_end) as later_text,
        arg_min(levels.source_text, levels.period_end) as earlier_text,
        arg_min(levels.value, levels.period_end) as earlier_value,
        min(levels.period_end) as earlier_end,
        arg_min(levels.source_line, levels.period_end) as earlier_line,
        min(abs(levels.source_line - changes.source_line)) as distance,
        count(distinct levels.period_end) as period_count
    from changes
    inner join levels
        on levels.document = changes.document
        and abs(levels.source_line - changes.source_line) <= {{ var('quality_change_window', 4) }}
        and (changes.kpi_code is null or changes.kpi_code = levels.kpi_code)
    group by all

),

-- the change is about the KPI stated nearest to it ('minskning om 0,4 procentenheter till 2,8'
-- is about the 2,8, not a level two lines up); checked only when that KPI has two levels
chosen as (

    select * from candidates
    qualify row_number() over (
        partition by document, change_line, change_value
        order by distance, kpi_code, org_unit_key, breakdown
    ) = 1

),

paired as (

    select * from chosen
    where period_count >= 2

),

checked as (

    select
        *,
        -- decimals written: 6,7 -> 1, 8,97 -> 2, 76 -> 0
        least(
            case when later_value = round(later_value) then 0 when later_value * 10 = round(later_value * 10) then 1 else 2 end,
            case when earlier_value = round(earlier_value) then 0 when earlier_value * 10 = round(earlier_value * 10) then 1 else 2 end
        ) as coarser_decimals,
        abs(later_value - earlier_value) as level_difference,
        abs(change_value) as stated_change
    from paired

),

final as (

    select
        {{ surrogate_key(["'change_equals_difference_of_levels'", 'document', 'change_line', 'change_value']) }} as rule_instance_id,
        'change_equals_difference_of_levels' as rule,
        'warn' as severity,
        document,
        document as documents,
        cast(change_line as varchar) || ' (change); ' || cast(earlier_line as varchar) || ', '
            || cast(later_line as varchar) || ' (levels)' as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        earlier_end as period_start,
        later_end as period_end,
        'percentage_points' as unit,
        'stated change ' || {{ quality_number('change_value') }} || ' pp (line ' || cast(change_line as varchar)
            || '); levels ' || {{ quality_number('earlier_value') }} || ' % (' || strftime(earlier_end, '%Y-%m-%d')
            || ') and ' || {{ quality_number('later_value') }} || ' % (' || strftime(later_end, '%Y-%m-%d') || ')' as inputs,
        level_difference as expected,
        stated_change as actual,
        stated_change - level_difference as difference,
        power(10, -coarser_decimals) as tolerance,
        {{ quality_passed('stated_change - level_difference', 'power(10, -coarser_decimals)') }} as passed,
        coalesce(kpi_name_sv, 'Andelen') || coalesce(', ' || org_unit_name, '') || ': ' || case
            when {{ quality_passed('stated_change - level_difference', 'power(10, -coarser_decimals)') }} then
                'förändringen ' || {{ quality_number('change_value', 'sv') }} || ' procentenheter (rad '
                || cast(change_line as varchar) || ') stämmer med nivåerna ' || {{ quality_number('earlier_value', 'sv') }}
                || ' och ' || {{ quality_number('later_value', 'sv') }} || ' procent.'
            else
                'förändringen ' || {{ quality_number('change_value', 'sv') }} || ' procentenheter (rad '
                || cast(change_line as varchar) || ') stämmer inte med nivåerna ' || {{ quality_number('earlier_value', 'sv') }}
                || ' och ' || {{ quality_number('later_value', 'sv') }} || ' procent, vars skillnad är '
                || {{ quality_number('level_difference', 'sv') }} || ' procentenheter. Kontrollera förändringen och nivåerna.'
        end as message_sv,
        coalesce(kpi_name_en, kpi_code) || coalesce(', ' || org_unit_name, '') || ': ' || case
            when {{ quality_passed('stated_change - level_difference', 'power(10, -coarser_decimals)') }} then
                'the change of ' || {{ quality_number('change_value') }} || ' percentage points (line '
                || cast(change_line as varchar) || ') matches the levels ' || {{ quality_number('earlier_value') }}
                || ' % and ' || {{ quality_number('later_value') }} || ' %.'
            else
                'the change of ' || {{ quality_number('change_value') }} || ' percentage points (line '
                || cast(change_line as varchar) || ') does not match the levels ' || {{ quality_number('earlier_value') }}
                || ' % and ' || {{ quality_number('later_value') }} || ' %, which differ by '
                || {{ quality_number('level_difference') }} || ' percentage points.'
        end as message_en,
        array_to_string(list_transform(
            list_sort(list_distinct([
                {'line': change_line, 'text': change_text},
                {'line': earlier_line, 'text': earlier_text},
                {'line': later_line, 'text': later_text}
            ])), c -> {{ quality_cite('c.line', 'c.text') }}), ' | ') as cited_text
    from checked

)

select * from final
