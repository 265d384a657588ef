-- A table's total row equals the sum of its rows. A "table" is the rows of one document with
-- the same KPI, period, scenario, breakdown (value or difference column) and extraction
-- family ('table', 'chart'); its total row is the region-wide unit ('TOTALT VÄSTERBOTTEN').
-- Only additive KPIs (counts, amounts): shares and averages ('MEDEL') do not sum.
-- When one document holds several such tables, each row belongs to the first total row at or
-- below it (totals close a table), else to the nearest total above it.
with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where value_kind in ('count', 'amount')
        and value is not null
        and method_family in ({{ "'" ~ var('quality_table_families', ['table', 'chart']) | join("', '") ~ "'" }})

),

totals as (

    select * from observations
    where org_unit_level = 'region'

),

parts as (

    select * from observations
    where coalesce(org_unit_level, '') <> 'region'

),

parts_to_totals as (

    select
        totals.kpi_observation_id as total_id,
        parts.org_unit_name,
        parts.value,
        parts.source_line
    from parts
    inner join totals
        on parts.document = totals.document
        and parts.kpi_code = totals.kpi_code
        and parts.period_start = totals.period_start
        and parts.period_end = totals.period_end
        and parts.scenario = totals.scenario
        and parts.breakdown = totals.breakdown
        and parts.method_family = totals.method_family
    qualify row_number() over (
        partition by parts.kpi_observation_id
        order by
            case when totals.source_line >= parts.source_line then 0 else 1 end,
            abs(totals.source_line - parts.source_line),
            totals.kpi_observation_id
    ) = 1

),

sums as (

    select
        total_id,
        sum(value) as parts_sum,
        count(*) as parts_count,
        min(source_line) as first_line,
        max(source_line) as last_line
    from parts_to_totals
    group by total_id

),

checked as (

    select
        totals.*,
        sums.parts_sum,
        sums.parts_count,
        sums.first_line,
        sums.last_line,
        case when totals.unit = 'mnkr' then {{ quality_tolerance('mnkr') }} else {{ quality_tolerance('count') }} end
            as tolerance,
        sums.parts_sum - totals.value as difference
    from totals
    inner join sums on totals.kpi_observation_id = sums.total_id

),

final as (

    select
        {{ surrogate_key(["'table_total_equals_sum_of_rows'", 'kpi_observation_id']) }} as rule_instance_id,
        'table_total_equals_sum_of_rows' as rule,
        'warn' as severity,
        document,
        document as documents,
        cast(source_line as varchar) || ' (total); ' || cast(first_line as varchar) || '–' || cast(last_line as varchar)
            || ' (' || cast(parts_count as varchar) || ' rows)' as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        'total row "' || source_text || '" = ' || {{ quality_number('value') }} || '; sum of '
            || cast(parts_count as varchar) || ' rows = ' || {{ quality_number('parts_sum') }} as inputs,
        value as expected,
        parts_sum as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        case
            when {{ quality_passed('difference', 'tolerance') }} then
                {{ quality_subject("sv") }} || ': totalraden på rad ' || cast(source_line as varchar) || ' (' || {{ quality_number('value', 'sv') }}
                || ') stämmer med summan av tabellens ' || cast(parts_count as varchar) || ' rader.'
            else
                {{ quality_subject("sv") }} || ': totalraden på rad ' || cast(source_line as varchar) || ' (' || {{ quality_number('value', 'sv') }}
                || ') stämmer inte med summan av tabellens ' || cast(parts_count as varchar) || ' rader (rad '
                || cast(first_line as varchar) || '–' || cast(last_line as varchar) || '), som är '
                || {{ quality_number('parts_sum', 'sv') }} || ': skillnad ' || {{ quality_number('difference', 'sv') }}
                || ', tolerans ' || {{ quality_number('tolerance', 'sv') }} || '.'
        end as message_sv,
        case
            when {{ quality_passed('difference', 'tolerance') }} then
                {{ quality_subject('en') }} || ': the total row on line ' || cast(source_line as varchar) || ' (' || {{ quality_number('value') }}
                || ') equals the sum of the table''s ' || cast(parts_count as varchar) || ' rows.'
            else
                {{ quality_subject('en') }} || ': the total row on line ' || cast(source_line as varchar) || ' (' || {{ quality_number('value') }}
                || ') does not equal the sum of the table''s ' || cast(parts_count as varchar) || ' rows (lines '
                || cast(first_line as varchar) || '–' || cast(last_line as varchar) || '), which is '
                || {{ quality_number('parts_sum') }} || ': difference ' || {{ quality_number('difference') }}
                || ', tolerance ' || {{ quality_number('tolerance') }} || '.'
        end as message_en
    from checked

)

select * from final
