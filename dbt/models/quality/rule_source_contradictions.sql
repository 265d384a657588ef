-- Contradictions the table parser noticed inside a document and resolved one way, recorded in
-- raw.unmapped_numbers with a reason 'contradiction:<kind>: <detail>': a table header whose
-- month disagrees with the date the text gives the table (rule table_header_agrees_with_text),
-- a misprinted cell such as '.15' read as -15 (cell_is_printed_as_a_number), any other kind
-- (source_states_one_reading). Each is one failed instance, so the analyst sees what was
-- decided. Duplicated rows have their own rule.
with

unmapped_numbers as (

    select * from {{ ref('unmapped_numbers') }}
    where reason like 'contradiction:%'
        and reason not like 'contradiction:duplicate_table_row%'

),

parsed as (

    select
        *,
        split_part(reason, ':', 2) as kind,
        regexp_extract(reason, 'header says (\d{4}-\d{2})', 1) as header_period,
        regexp_extract(reason, 'text \(line (\d+)\)', 1) as text_line,
        regexp_extract(reason, 'text \(line \d+\) says (\d{4}-\d{2}-\d{2})', 1) as text_date,
        regexp_extract(reason, 'read as (\S+)', 1) as read_as
    from unmapped_numbers

),

final as (

    select
        {{ surrogate_key(["'source_states_one_reading'", 'unmapped_number_id']) }} as rule_instance_id,
        case kind
            when 'table_header_period' then 'table_header_agrees_with_text'
            when 'misprinted_cell' then 'cell_is_printed_as_a_number'
            else 'source_states_one_reading'
        end as rule,
        'warn' as severity,
        document_name as document,
        document_name as documents,
        cast(source_line as varchar) || coalesce(' (header); ' || nullif(text_line, '') || ' (text)', '') as source_lines,
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
        case kind
            when 'table_header_period' then
                'Tabellhuvudet på rad ' || cast(source_line as varchar) || ' anger perioden ' || header_period
                || ' ("' || trim(number_text) || '"), men texten på rad ' || text_line || ' säger att tabellen avser '
                || text_date || '. Kontrollera vilken period tabellen gäller; lagret använder textens datum.'
            when 'misprinted_cell' then
                'Cellen "' || trim(number_text) || '" på rad ' || cast(source_line as varchar)
                || ' är felskriven och har lästs som ' || replace(read_as, '.', ',')
                || '. Kontrollera värdet i originalrapporten.'
            else
                'Rad ' || cast(source_line as varchar) || ' ("' || trim(number_text)
                || '") motsäger resten av rapporten. Kontrollera raden.'
        end as message_sv,
        'Line ' || cast(source_line as varchar) || ' ("' || trim(number_text) || '") contradicts the rest of the document ('
            || kind || '): ' || trim(substr(reason, length('contradiction:' || kind) + 2)) || '.' as message_en,
        {{ quality_cite('source_line', 'source_text') }} as cited_text
    from parsed

)

select * from final
