-- The stated counts of stated_count_checks a report can be held to: checked, and not resting on
-- a statement whose total differs from the items counted (consistency_needs_review lists those).
with

checks as (

    select * from {{ ref('stated_count_checks') }}
    where status = 'checked'
        and (passed or doubt_reason is null)

),

worded as (

    select
        *,
        {{ quality_count_subject_sv('subject') }} || coalesce(' inom ' || lower(scope), '') as noun_sv,
        case when category = 'total' then '' else {{ quality_count_category_sv('category') }} || ' ' end as adjective_sv,
        case subject
            when 'assignments' then 'uppdragslistan har'
            else 'måltabellen bedömer'
        end as items_sv
    from checks

),

final as (

    select
        {{ surrogate_key(["'stated_count'", 'stated_count_check_id']) }} as rule_instance_id,
        case check_kind
            when 'items' then 'stated_count_equals_listed_items'
            else 'stated_parts_within_stated_total'
        end as rule,
        'warn' as severity,
        document,
        document as documents,
        cast(source_line as varchar) || ' (text)' || coalesce('; ' || nullif(item_lines, '') || case check_kind
            when 'items' then ' (items)' else ' (parts)' end, '') as source_lines,
        cast(null as varchar) as kpi_code,
        cast(null as varchar) as org_unit_name,
        cast(null as varchar) as scenario,
        category as breakdown,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        'count' as unit,
        check_kind || ': ' || subject || coalesce(' in ' || scope, '') || ' ' || category || ' stated on line '
            || cast(source_line as varchar) || ' = ' || {{ quality_number('value') }} || '; counted = '
            || {{ quality_number('counted') }} as inputs,
        value as expected,
        cast(counted as double) as actual,
        difference,
        tolerance,
        passed,
        case
            when check_kind = 'own_total' and passed then
                'Texten på rad ' || cast(source_line as varchar) || ' anger ' || {{ quality_number('value', 'sv') }} || ' '
                || noun_sv || ', och delarna den räknar upp ryms i det.'
            when check_kind = 'own_total' then
                'Texten på rad ' || cast(source_line as varchar) || ' anger ' || {{ quality_number('value', 'sv') }} || ' '
                || noun_sv || ' men räknar upp fler: ' || parts_text_sv || ', sammanlagt '
                || {{ quality_number('counted', 'sv') }} || '. Kontrollera antalen i texten.'
            when passed then
                'Texten på rad ' || cast(source_line as varchar) || ' anger ' || {{ quality_number('value', 'sv') }} || ' '
                || adjective_sv || noun_sv || ', och ' || items_sv || ' lika många.'
            else
                'Texten på rad ' || cast(source_line as varchar) || ' anger ' || {{ quality_number('value', 'sv') }} || ' '
                || adjective_sv || noun_sv || ', men ' || items_sv || ' ' || {{ quality_number('counted', 'sv') }}
                || coalesce(' (rad ' || nullif(item_lines, '') || ')', '') || '. Kontrollera antalet i texten mot '
                || case subject when 'assignments' then 'listan.' else 'tabellen.' end
        end as message_sv,
        case
            when check_kind = 'own_total' and passed then
                'The text on line ' || cast(source_line as varchar) || ' states ' || {{ quality_number('value') }} || ' '
                || subject || ', and the parts it lists fit within it.'
            when check_kind = 'own_total' then
                'The text on line ' || cast(source_line as varchar) || ' states ' || {{ quality_number('value') }} || ' '
                || subject || ' but lists more parts, ' || {{ quality_number('counted') }} || ' in all.'
            when passed then
                'The text on line ' || cast(source_line as varchar) || ' states ' || {{ quality_number('value') }} || ' '
                || subject || coalesce(' in ' || scope, '') || ' ' || replace(category, '_', ' ')
                || ', and the document rates or lists as many.'
            else
                'The text on line ' || cast(source_line as varchar) || ' states ' || {{ quality_number('value') }} || ' '
                || subject || coalesce(' in ' || scope, '') || ' ' || replace(category, '_', ' ')
                || ', but the document rates or lists ' || {{ quality_number('counted') }} || '.'
        end as message_en,
        cited_text
    from worded

)

select * from final
