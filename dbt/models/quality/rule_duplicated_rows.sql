-- A table row stated twice (the same label with the same values on two lines of one table,
-- e.g. 'Reumatologi Nus 76 -9'). Two sources: rows of a table or chart family in the facts
-- whose label and every value repeat on another line (one instance per row), and duplicates
-- the table parser noted and dropped (raw.unmapped_numbers, reason
-- 'contradiction:duplicate_table_row: same row as line N').
with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where method_family in ({{ "'" ~ var('quality_table_families', ['table', 'chart']) | join("', '") ~ "'" }})

),

unmapped_numbers as (

    select * from {{ ref('unmapped_numbers') }}

),

-- a row: one label on one line of one table, with all its values
table_rows as (

    select
        document,
        kpi_code,
        period_start,
        period_end,
        scenario,
        method_family,
        org_unit_key,
        source_line,
        min(org_unit_name) as org_unit_name,
        min(kpi_name_sv) as kpi_name_sv,
        min(kpi_name_en) as kpi_name_en,
        min(unit) as unit,
        min(source_text) as source_text,
        string_agg(breakdown || '=' || {{ quality_number('value') }}, ', ' order by breakdown) as row_values
    from observations
    group by all

),

repeated as (

    select
        document,
        kpi_code,
        period_start,
        period_end,
        scenario,
        org_unit_key,
        row_values,
        min(org_unit_name) as org_unit_name,
        min(kpi_name_sv) as kpi_name_sv,
        min(kpi_name_en) as kpi_name_en,
        min(unit) as unit,
        min(source_text) as source_text,
        count(*) as occurrences,
        string_agg(cast(source_line as varchar), ', ' order by source_line) as lines
    from table_rows
    group by all

),

from_facts as (

    select
        {{ surrogate_key([
            "'table_row_stated_once'", 'document', 'kpi_code', 'period_start', 'period_end', 'scenario',
            'org_unit_key', 'row_values',
        ]) }} as rule_instance_id,
        document,
        lines as source_lines,
        kpi_code,
        kpi_name_sv,
        kpi_name_en,
        org_unit_name,
        scenario,
        cast(null as varchar) as breakdown,
        period_start,
        period_end,
        unit,
        'row "' || source_text || '" (' || row_values || ') on lines ' || lines as inputs,
        cast(occurrences as double) as actual,
        source_text as row_text,
        lines
    from repeated

),

-- the parser keeps the first row and notes the repeat; the note is the instance
from_parser as (

    select
        {{ surrogate_key(["'table_row_stated_once'", 'document_name', 'source_line', 'number_text']) }} as rule_instance_id,
        document_name as document,
        regexp_extract(reason, 'line (\d+)', 1) || ', ' || cast(source_line as varchar) as source_lines,
        cast(null as varchar) as kpi_code,
        cast(null as varchar) as kpi_name_sv,
        cast(null as varchar) as kpi_name_en,
        cast(null as varchar) as org_unit_name,
        cast(null as varchar) as scenario,
        cast(null as varchar) as breakdown,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        unit,
        'row "' || trim(source_text) || '" on line ' || cast(source_line as varchar) || ' repeats line '
            || regexp_extract(reason, 'line (\d+)', 1) || ' (' || reason || ')' as inputs,
        2.0 as actual,
        trim(source_text) as row_text,
        regexp_extract(reason, 'line (\d+)', 1) || ', ' || cast(source_line as varchar) as lines
    from unmapped_numbers
    where reason like 'contradiction:duplicate_table_row%'

),

checked as (

    select
        *,
        1.0 as expected,
        actual - 1.0 as difference,
        {{ quality_tolerance('exact') }} as tolerance
    from (
        select * from from_facts
        union all by name
        select * from from_parser
    ) as duplicated

),

final as (

    select
        rule_instance_id,
        'table_row_stated_once' as rule,
        'warn' as severity,
        document,
        document as documents,
        source_lines,
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
        case
            when {{ quality_passed('difference', 'tolerance') }} then
                'Tabellraden "' || row_text || '" förekommer en gång (rad ' || lines || ').'
            else
                'Tabellraden "' || row_text || '" står ' || {{ quality_number('actual', 'sv') }}
                || ' gånger i samma tabell (rad ' || lines || '). Kontrollera om raden är dubblerad av misstag'
                || ' och om en annan rad saknas.'
        end as message_sv,
        case
            when {{ quality_passed('difference', 'tolerance') }} then
                'The table row "' || row_text || '" appears once (line ' || lines || ').'
            else
                'The table row "' || row_text || '" appears ' || {{ quality_number('actual') }}
                || ' times in the same table (lines ' || lines || '): a duplicated row.'
        end as message_en,
        array_to_string(list_transform(string_split(lines, ', '), l -> {{ quality_cite('l', 'row_text') }}), ' | ')
            as cited_text
    from checked

)

select * from final
