-- Disagreements that rest on a doubtful reading of the report, kept out of
-- consistency_findings: an analyst or the extraction's maintainer may look, but the report is
-- not accused. One row per candidate:
--   same_measure  a statement read doubtfully (doubt_reason: carried_binding,
--                 hedge_without_interval, defaulted_period, same_sentence) that disagrees with
--                 the preferred statement of its measure, or a group with no firm statement;
--   calculation   a sum that does not add up, whose statements' periods were read unevenly;
--   stated_count  a count whose statement's total differs from the items the document lists.
with

comparisons as (

    select * from {{ ref('int_value_comparisons') }}
    where not agrees
        and (doubt_reason is not null or preferred_doubt is not null)

),

calculations as (

    select * from {{ ref('calculation_checks') }}
    where status = 'checked'
        and not passed
        and doubt_reason is not null

),

stated_counts as (

    select * from {{ ref('stated_count_checks') }}
    where status = 'checked'
        and not passed
        and doubt_reason is not null

),

candidates as (

    select
        'same_measure' as candidate_kind,
        coalesce(doubt_reason, preferred_doubt) as doubt_reason,
        document,
        cast(preferred_line as varchar) || ', ' || cast(source_line as varchar) as source_lines,
        kpi_code,
        measure,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        preferred_value as expected,
        value as actual,
        difference,
        tolerance,
        {{ quality_subject('sv') }} || ': ' || {{ quality_number('preferred_value', 'sv') }} || ' (rad '
            || cast(preferred_line as varchar) || ') och ' || {{ quality_number('value', 'sv') }} || ' (rad '
            || cast(source_line as varchar) || ') skiljer sig, men läsningen är osäker.' as message_sv,
        {{ quality_cite('preferred_line', 'preferred_text') }} || ' | ' || {{ quality_cite('source_line', 'source_text') }}
            as cited_text
    from comparisons

    union all

    select
        'calculation',
        doubt_reason,
        document,
        cast(source_line as varchar) || '; ' || part_lines,
        kpi_code,
        measure,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        value,
        parts_sum,
        difference,
        tolerance,
        {{ quality_subject('sv') }} || ': ' || {{ quality_number('value', 'sv') }} || ' (rad ' || cast(source_line as varchar)
            || ') och delarna ' || parts_text_sv || ' = ' || {{ quality_number('parts_sum', 'sv') }}
            || ' går inte ihop, men perioderna är osäkert lästa.',
        cited_text
    from calculations

    union all

    select
        'stated_count',
        doubt_reason,
        document,
        cast(source_line as varchar) || coalesce('; ' || nullif(item_lines, ''), ''),
        null,
        subject,
        null,
        null,
        category,
        null,
        null,
        value,
        counted,
        difference,
        tolerance,
        'Texten på rad ' || cast(source_line as varchar) || ' anger ' || {{ quality_number('value', 'sv') }} || ' '
            || {{ quality_count_subject_sv('subject') }} || ', men dokumentet har ' || cast(items_total as varchar)
            || ' sådana; texten kan avse en annan uppsättning.',
        cited_text
    from stated_counts

),

final as (

    select
        {{ surrogate_key(['candidate_kind', 'document', 'source_lines', 'kpi_code', 'measure', 'breakdown', 'expected', 'actual']) }}
            as review_id,
        *,
        case doubt_reason
            when 'carried_binding' then 'måttet är hämtat från en tidigare mening eller rubrik'
            when 'hedge_without_interval' then 'värdet är ungefärligt och dess spann okänt'
            when 'defaulted_period' then 'perioden är bara dokumentets, inte angiven i texten'
            when 'same_sentence' then 'samma mening ger måttet två värden'
            when 'total_differs_from_items' then 'textens total skiljer sig från antalet poster i dokumentet'
        end as doubt_sv
    from candidates

)

select * from final
