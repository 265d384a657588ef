-- Contradictions the extractors noticed inside a document and resolved one way (a table header
-- month that disagrees with the text's date, a misprinted cell such as '.15' read as -15). They
-- are recorded in raw.unmapped_numbers with a reason 'contradiction:<kind>: <detail>'; each is
-- one failed instance, so the analyst sees what was decided. Duplicated rows have their own rule.
with

unmapped_numbers as (

    select * from {{ ref('unmapped_numbers') }}
    where reason like 'contradiction:%'
        and reason not like 'contradiction:duplicate_table_row%'

),

final as (

    select
        {{ surrogate_key(["'source_states_one_reading'", 'unmapped_number_id']) }} as rule_instance_id,
        'source_states_one_reading' as rule,
        'warn' as severity,
        document_name as document,
        document_name as documents,
        cast(source_line as varchar) as source_lines,
        cast(null as varchar) as kpi_code,
        cast(null as varchar) as org_unit_name,
        cast(null as varchar) as scenario,
        cast(null as varchar) as breakdown,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        unit,
        '"' || trim(number_text) || '" in "' || trim(source_text) || '": ' || reason as inputs,
        0.0 as expected,
        1.0 as actual,
        1.0 as difference,
        {{ quality_tolerance('exact') }} as tolerance,
        false as passed,
        'Rad ' || cast(source_line as varchar) || ' ("' || trim(number_text) || '") motsäger dokumentet i övrigt ('
            || split_part(reason, ':', 2) || '): ' || trim(substr(reason, length('contradiction:' || split_part(reason, ':', 2)) + 2))
            || '.' as message_sv,
        'Line ' || cast(source_line as varchar) || ' ("' || trim(number_text) || '") contradicts the rest of the document ('
            || split_part(reason, ':', 2) || '): ' || trim(substr(reason, length('contradiction:' || split_part(reason, ':', 2)) + 2))
            || '.' as message_en
    from unmapped_numbers

)

select * from final
