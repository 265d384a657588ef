-- Schema and range rules on every extracted value (severity error: such a row should not be
-- published). One instance per fact and rule:
--   share_within_0_100        shares in 0-100 (bed occupancy may exceed 100; a difference
--                             column of shares lies in -100..100)
--   count_not_negative        counts >= 0 (difference columns may be negative)
--   period_start_not_after_end
--   value_present             value not null
--   provenance_present        document, source_line, source_text, extraction_method all set
--   kpi_in_catalogue          kpi_code is a catalogue code
--   org_unit_in_dimension     the fact found its org unit in dim_org_unit
--   period_in_dimension       the fact found its period in dim_period
with

observations as (

    select * from {{ ref('int_quality_observations') }}

),

kpi_catalogue as (

    select * from {{ ref('stg_kpi_catalogue') }}

),

org_units as (

    select * from {{ ref('dim_org_unit') }}
    where not is_unknown_member

),

periods as (

    select * from {{ ref('dim_period') }}
    where not is_unknown_member

),

facts as (

    select
        observations.*,
        kpi_catalogue.kpi_code is not null as is_catalogued,
        org_units.org_unit_code is not null as has_org_unit,
        periods.period_key is not null as has_period,
        case
            when observations.is_difference_breakdown then -100.0
            else 0.0
        end as share_min,
        case
            when observations.kpi_code in ({{ "'" ~ var('quality_shares_above_100', ['bed_occupancy_pct']) | join("', '") ~ "'" }})
                and not observations.is_difference_breakdown then null
            else 100.0
        end as share_max
    from observations
    left join kpi_catalogue on observations.kpi_code = kpi_catalogue.kpi_code
    left join org_units on observations.org_unit_code = org_units.org_unit_code
    left join periods on observations.period_key = periods.period_key

),

-- Every rule of a fact in one pass over the facts: a list of one struct per rule, unnested, keeps
-- only the rules that apply. (A union of one select per rule joined back to the facts held every
-- fact with its source text in a hash table and ran out of memory at 256MB on 2 000 documents.)
checks as (

    select
        facts.*,
        unnest([
            {
                'rule': 'share_within_0_100',
                'applies': coalesce(value_kind = 'share' and value is not null, false),
                'actual': cast(value as double),
                'expected': cast(greatest(least(value, coalesce(share_max, value)), share_min) as double),
                'inputs': 'value ' || {{ quality_number('value') }} || ' %, allowed ' || {{ quality_number('share_min') }} || ' to '
                    || coalesce({{ quality_number('share_max') }}, 'any'),
                'problem_sv': 'andelen ' || {{ quality_number('value', 'sv') }} || ' procent ligger utanför '
                    || {{ quality_number('share_min', 'sv') }} || '–' || coalesce({{ quality_number('share_max', 'sv') }}, '∞'),
                'problem_en': 'the share ' || {{ quality_number('value') }} || ' % lies outside '
                    || {{ quality_number('share_min') }} || '–' || coalesce({{ quality_number('share_max') }}, '∞')
            },
            {
                'rule': 'count_not_negative',
                'applies': coalesce(value_kind = 'count' and value is not null and not is_difference_breakdown, false),
                'actual': cast(value as double),
                'expected': cast(greatest(value, 0) as double),
                'inputs': 'count ' || {{ quality_number('value') }},
                'problem_sv': 'antalet ' || {{ quality_number('value', 'sv') }} || ' är negativt',
                'problem_en': 'the count ' || {{ quality_number('value') }} || ' is negative'
            },
            {
                'rule': 'period_start_not_after_end',
                'applies': true,
                'actual': cast(greatest(date_diff('day', period_end, period_start), 0) as double),
                'expected': 0.0,
                'inputs': 'period ' || coalesce(cast(period_start as varchar), '?') || ' to ' || coalesce(cast(period_end as varchar), '?'),
                'problem_sv': 'perioden börjar ' || coalesce(cast(period_start as varchar), '?')
                    || ', efter sitt slut ' || coalesce(cast(period_end as varchar), '?'),
                'problem_en': 'the period starts ' || coalesce(cast(period_start as varchar), '?')
                    || ', after its end ' || coalesce(cast(period_end as varchar), '?')
            },
            {
                'rule': 'value_present',
                'applies': true,
                'actual': case when value is null then 1.0 else 0.0 end,
                'expected': 0.0,
                'inputs': 'value ' || coalesce({{ quality_number('value') }}, 'null'),
                'problem_sv': 'värdet saknas',
                'problem_en': 'the value is missing'
            },
            {
                'rule': 'provenance_present',
                'applies': true,
                'actual': cast(
                    cast(document is null as int) + cast(source_line is null as int)
                    + cast(nullif(trim(source_text), '') is null as int) + cast(nullif(trim(extraction_method), '') is null as int)
                    as double),
                'expected': 0.0,
                'inputs': 'document ' || coalesce(document, 'null') || ', line ' || coalesce(cast(source_line as varchar), 'null')
                    || ', method ' || coalesce(extraction_method, 'null')
                    || ', source_text ' || case when nullif(trim(source_text), '') is null then 'missing' else 'set' end,
                'problem_sv': 'ursprunget (dokument, rad, källtext eller metod) saknas',
                'problem_en': 'its provenance (document, line, source text or method) is incomplete'
            },
            {
                'rule': 'kpi_in_catalogue',
                'applies': true,
                'actual': case when is_catalogued then 1.0 else 0.0 end,
                'expected': 1.0,
                'inputs': 'kpi_code ' || coalesce(kpi_code, 'null'),
                'problem_sv': 'nyckeltalet finns inte i katalogen',
                'problem_en': 'the KPI code ' || coalesce(kpi_code, 'null') || ' is not in the catalogue'
            },
            {
                'rule': 'org_unit_in_dimension',
                'applies': true,
                'actual': case when has_org_unit then 1.0 else 0.0 end,
                'expected': 1.0,
                'inputs': 'org unit "' || coalesce(org_unit_label, 'null') || '" -> ' || coalesce(org_unit_code, 'null'),
                'problem_sv': 'enheten "' || coalesce(org_unit_label, '') || '" finns inte i organisationsregistret',
                'problem_en': 'the org unit "' || coalesce(org_unit_label, '') || '" is not in dim_org_unit'
            },
            {
                'rule': 'period_in_dimension',
                'applies': true,
                'actual': case when has_period then 1.0 else 0.0 end,
                'expected': 1.0,
                'inputs': 'period ' || coalesce(cast(period_start as varchar), '?') || ' to ' || coalesce(cast(period_end as varchar), '?')
                    || ' (' || coalesce(period_type, 'null') || ') -> ' || coalesce(period_key, 'null'),
                'problem_sv': 'perioden finns inte i periodregistret',
                'problem_en': 'the period is not in dim_period'
            }
        ]) as fact_check
    from facts

),

checked as (

    select
        checks.* exclude (fact_check),
        fact_check.rule,
        fact_check.expected,
        fact_check.actual,
        fact_check.inputs,
        fact_check.problem_sv,
        fact_check.problem_en,
        fact_check.actual - fact_check.expected as difference,
        {{ quality_tolerance('exact') }} as tolerance
    from checks
    where fact_check.applies

),

final as (

    select
        {{ surrogate_key(['rule', 'kpi_observation_id']) }} as rule_instance_id,
        rule,
        'error' as severity,
        document,
        document as documents,
        cast(source_line as varchar) as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        inputs,
        expected,
        actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        'Rad ' || coalesce(cast(source_line as varchar), '?') || ' (' || coalesce(kpi_name_sv, 'okänt nyckeltal') || ', '
            || coalesce(org_unit_name, 'okänd enhet') || '): ' || case
                when {{ quality_passed('difference', 'tolerance') }} then 'värdet är giltigt.'
                else problem_sv || '. Kontrollera hur värdet lästes ur rapporten.'
            end as message_sv,
        'Line ' || coalesce(cast(source_line as varchar), '?') || ' (' || coalesce(kpi_code, '?') || ', '
            || coalesce(org_unit_name, '?') || '): ' || case
                when {{ quality_passed('difference', 'tolerance') }} then 'rule ' || rule || ' holds.'
                else problem_en || '.'
            end as message_en,
        {{ quality_cite('source_line', 'source_text') }} as cited_text
    from checked

)

select * from final
