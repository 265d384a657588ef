-- A unit's amount equals the sum of its areas' amounts (HSN = Primärvård + Tandvård +
-- Sjukhusvård + Administration och anslag), for every amount KPI (budget deviations and the
-- like) stated in one document for the unit and for all its areas, same period, scenario and
-- breakdown. The areas that make up a unit are the seeded areas whose code extends the unit's
-- code ('24-HSN-PV' under '24-HSN'; HSN's närsjukvårdsområden are another grouping) and that the
-- document names at all: areas are renamed and regrouped over the years, and a report only
-- lists the areas of its own year. At least two areas. Each statement of the unit is one
-- instance; an area stated twice counts with its first statement (rule_conflicting_values
-- reports the disagreement).
with

all_observations as (

    select * from {{ ref('int_quality_observations') }}

),

observations as (

    select * from all_observations
    where value_kind = 'amount'
        and value is not null

),

org_units as (

    select * from {{ ref('dim_org_unit') }}

),

areas as (

    select
        parent_code,
        org_unit_code
    from org_units
    where level = 'area'
        and parent_code is not null
        and starts_with(org_unit_code, parent_code || '-')
        and not is_unknown_member

),

-- the unit's areas this document names (for any KPI)
area_counts as (

    select
        all_observations.document,
        areas.parent_code,
        count(distinct areas.org_unit_code) as area_count
    from all_observations
    inner join areas on all_observations.org_unit_code = areas.org_unit_code
    group by all
    having count(distinct areas.org_unit_code) >= 2

),

area_values as (

    select
        observations.document,
        observations.kpi_code,
        observations.period_start,
        observations.period_end,
        observations.scenario,
        observations.breakdown,
        areas.parent_code,
        observations.org_unit_code,
        min(observations.org_unit_name) as org_unit_name,
        arg_min(observations.value, observations.source_line) as value,
        min(observations.source_line) as source_line
    from observations
    inner join areas on observations.org_unit_code = areas.org_unit_code
    group by all

),

area_sums as (

    select
        document,
        kpi_code,
        period_start,
        period_end,
        scenario,
        breakdown,
        parent_code,
        sum(value) as areas_sum,
        count(*) as areas_stated,
        string_agg(org_unit_name || ' ' || {{ quality_number('value') }}, ' + ' order by org_unit_name) as areas_text,
        string_agg(cast(source_line as varchar), ', ' order by source_line) as area_lines
    from area_values
    group by all

),

checked as (

    select
        units.*,
        area_sums.areas_sum,
        area_sums.areas_text,
        area_sums.area_lines,
        area_sums.areas_stated,
        {{ quality_tolerance('mnkr') }} as tolerance,
        area_sums.areas_sum - units.value as difference
    from observations as units
    inner join area_counts
        on units.document = area_counts.document
        and units.org_unit_code = area_counts.parent_code
    inner join area_sums
        on units.document = area_sums.document
        and units.kpi_code = area_sums.kpi_code
        and units.period_start = area_sums.period_start
        and units.period_end = area_sums.period_end
        and units.scenario = area_sums.scenario
        and units.breakdown = area_sums.breakdown
        and units.org_unit_code = area_sums.parent_code
    -- only when every area is stated: a partial sum proves nothing
    where area_sums.areas_stated = area_counts.area_count

),

final as (

    select
        {{ surrogate_key(["'unit_equals_sum_of_areas'", 'kpi_observation_id']) }} as rule_instance_id,
        'unit_equals_sum_of_areas' as rule,
        'warn' as severity,
        document,
        document as documents,
        cast(source_line as varchar) || ' (unit); ' || area_lines || ' (areas)' as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        org_unit_name || ' ' || {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar)
            || '); areas: ' || areas_text || ' = ' || {{ quality_number('areas_sum') }} as inputs,
        value as expected,
        areas_sum as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        {{ quality_subject('sv') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'beloppet på rad ' || cast(source_line as varchar) || ' (' || {{ quality_number('value', 'sv') }}
                || ') stämmer med summan av områdena (' || {{ quality_number('areas_sum', 'sv') }} || ').'
            else
                'beloppet på rad ' || cast(source_line as varchar) || ' (' || {{ quality_number('value', 'sv') }}
                || ') stämmer inte med summan av områdena, ' || {{ quality_number('areas_sum', 'sv') }}
                || ' (rad ' || area_lines || '): skillnad ' || {{ quality_number('difference', 'sv') }}
                || ', tolerans ' || {{ quality_number('tolerance', 'sv') }} || '.'
        end as message_sv,
        {{ quality_subject('en') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'the amount on line ' || cast(source_line as varchar) || ' (' || {{ quality_number('value') }}
                || ') equals the sum of its areas (' || {{ quality_number('areas_sum') }} || ').'
            else
                'the amount on line ' || cast(source_line as varchar) || ' (' || {{ quality_number('value') }}
                || ') does not equal the sum of its areas, ' || {{ quality_number('areas_sum') }}
                || ' (lines ' || area_lines || '): difference ' || {{ quality_number('difference') }}
                || ', tolerance ' || {{ quality_number('tolerance') }} || '.'
        end as message_en
    from checked

)

select * from final
