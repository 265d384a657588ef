-- One measure stated more than once in one report carries one value: statements of the same
-- measure, organisation, period, scenario and breakdown, each read firmly (int_value_comparisons
-- says when), must overlap as intervals with the preferred (most precise) statement. One
-- instance per group: expected = the preferred value, actual = the statement farthest beyond
-- its tolerance. Doubtful statements never accuse; consistency_needs_review lists them.
{%- set group_keys = ['document', 'kpi_code', 'measure', 'org_unit_key', 'period_start', 'period_end', 'scenario', 'breakdown'] %}

with

comparisons as (

    select * from {{ ref('int_value_comparisons') }}
    where doubt_reason is null
        and preferred_doubt is null

),

-- the preferred statement and the others, one row each, to list them in line order
listed as (

    select {{ group_keys | join(', ') }}, source_line, source_text, value
    from comparisons

    union

    select {{ group_keys | join(', ') }}, preferred_line, preferred_text, preferred_value
    from comparisons

),

statement_lists as (

    select
        {{ group_keys | join(', ') }},
        list(distinct source_line order by source_line) as lines,
        list({'line': source_line, 'value': value} order by source_line, value) as stated,
        list(distinct {'line': source_line, 'text': source_text}) as cited
    from listed
    group by all

),

worst as (

    select * from comparisons
    qualify row_number() over (
        partition by {{ group_keys | join(', ') }}
        order by abs(difference) - tolerance desc, source_line
    ) = 1

),

checked as (

    select
        worst.*,
        array_to_string(list_transform(statement_lists.lines, l -> cast(l as varchar)), ', ') as lines_text,
        array_to_string(list_transform(statement_lists.stated, s ->
            {{ quality_number('s.value', 'sv') }} || ' (rad ' || cast(s.line as varchar) || ')'), ', ') as stated_sv,
        array_to_string(list_transform(statement_lists.stated, s ->
            {{ quality_number('s.value') }} || ' (line ' || cast(s.line as varchar) || ')'), ', ') as stated_en,
        array_to_string(list_transform(statement_lists.stated, s ->
            'line ' || cast(s.line as varchar) || ' = ' || {{ quality_number('s.value') }}), '; ') as inputs,
        array_to_string(list_transform(list_sort(statement_lists.cited), c ->
            {{ quality_cite('c.line', 'c.text') }}), ' | ') as cited_text,
        -- the preferred value is worth naming only when it is the more precise one
        worst.preferred_width < worst.interval_width as preferred_is_more_precise
    from worst
    inner join statement_lists
        on {% for key in group_keys %}worst.{{ key }} is not distinct from statement_lists.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}  -- noqa: LT05 (long once rendered)

),

final as (

    select
        {{ surrogate_key(["'same_fact_same_value'"] + group_keys) }} as rule_instance_id,
        'same_fact_same_value' as rule,
        'warn' as severity,
        document,
        document as documents,
        lines_text as source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        'measure ' || measure || ': ' || inputs as inputs,
        preferred_value as expected,
        value as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        {{ quality_subject('sv') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'rapporten anger samma mått flera gånger med förenliga värden: ' || stated_sv || '.'
            else
                'rapporten anger samma mått med olika värden: ' || stated_sv
                || '. Kontrollera vilket värde som är rätt'
                || case
                    when preferred_is_more_precise then '; det mest exakta är '
                        || {{ quality_number('preferred_value', 'sv') }} || ' (rad ' || cast(preferred_line as varchar) || ').'
                    else '.'
                end
        end as message_sv,
        {{ quality_subject('en') }} || ': ' || case
            when {{ quality_passed('difference', 'tolerance') }} then
                'the report states the same measure several times with compatible values: ' || stated_en || '.'
            else
                'the report states the same measure with different values: ' || stated_en
                || '. Check which one is right'
                || case
                    when preferred_is_more_precise then '; the most precise is '
                        || {{ quality_number('preferred_value') }} || ' (line ' || cast(preferred_line as varchar) || ').'
                    else '.'
                end
        end as message_en,
        cited_text
    from checked

)

select * from final
