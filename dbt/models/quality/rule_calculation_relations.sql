-- The sums of calculation_checks a report can be held to: every checked relation is an
-- instance; a failing one whose statements' periods were read unevenly (doubt_reason) is left
-- to consistency_needs_review, and a relation missing a part is no instance at all. The rule
-- is named by the relation's scope.
with

checks as (

    select * from {{ ref('calculation_checks') }}
    where status = 'checked'
        and (passed or doubt_reason is null)

),

final as (

    select
        {{ surrogate_key(["'calculation'", 'calculation_check_id']) }} as rule_instance_id,
        case scope
            when 'components' then 'total_equals_sum_of_components'
            when 'areas' then 'unit_equals_sum_of_areas'
            when 'table_rows' then 'table_total_equals_sum_of_rows'
        end as rule,
        'warn' as severity,
        document,
        document as documents,
        cast(source_line as varchar) || case scope when 'table_rows' then ' (total); ' else ' (sum); ' end
            || case
                when scope = 'table_rows' then cast(first_part_line as varchar) || '–' || cast(last_part_line as varchar)
                    || ' (' || cast(parts_found as varchar) || ' rows)'
                else part_lines || ' (parts)'
            end as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        relation || ': ' || {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar) || ') vs '
            || parts_text_en || ' = ' || {{ quality_number('parts_sum') }} as inputs,
        value as expected,
        parts_sum as actual,
        difference,
        tolerance,
        passed,
        {{ quality_subject('sv') }} || ': ' || case
            when passed then
                {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar) || ') stämmer med summan av '
                || case scope
                    when 'table_rows' then 'tabellens ' || cast(parts_found as varchar) || ' rader'
                    when 'areas' then 'områdena'
                    else 'delarna'
                end || ', ' || {{ quality_number('parts_sum', 'sv') }} || '.'
            when scope = 'table_rows' then
                'totalraden ' || {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar)
                || ') är inte summan av tabellens ' || cast(parts_found as varchar) || ' rader (rad '
                || cast(first_part_line as varchar) || '–' || cast(last_part_line as varchar) || '), som blir '
                || {{ quality_number('parts_sum', 'sv') }} || ': skillnad ' || {{ quality_number('difference', 'sv') }}
                || '. Kontrollera raderna och totalraden.'
            else
                {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar) || ') är inte summan av '
                || case scope when 'areas' then 'områdenas belopp' else 'delarna' end || ', '
                || parts_text_sv || ' = ' || {{ quality_number('parts_sum', 'sv') }}
                || ': skillnad ' || {{ quality_number('difference', 'sv') }} || ', mer än avrundningen medger ('
                || {{ quality_number('tolerance', 'sv') }} || '). Kontrollera summan och delarna.'
        end as message_sv,
        {{ quality_subject('en') }} || ': ' || case
            when passed then
                {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar) || ') equals the sum of its parts, '
                || {{ quality_number('parts_sum') }} || '.'
            else
                {{ quality_number('value') }} || ' (line ' || cast(source_line as varchar) || ') is not the sum of its parts, '
                || parts_text_en || ' = ' || {{ quality_number('parts_sum') }}
                || ': difference ' || {{ quality_number('difference') }} || ', more than rounding allows ('
                || {{ quality_number('tolerance') }} || ').'
        end as message_en,
        cited_text
    from checks

)

select * from final
