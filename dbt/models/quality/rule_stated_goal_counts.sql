-- A count the text states about the goal ratings ('3 kommer inte att uppfyllas') equals the
-- number of ratings the document's goal table gives in that category. Goals ('goals') count
-- ratings without a sub-goal, sub-goals ('sub_goals') ratings with one; a scope such as
-- 'Mål 3' narrows the count to that goal's ratings. Category 'total' counts every rating.
-- A count is checked only where the document rates something at that level (and scope): a
-- text about sub-goals the extractor found no table for has nothing to be compared with.
{%- set scope_expression = "cast(null as varchar)" -%}
{%- if execute -%}
    {%- set stated_columns = adapter.get_columns_in_relation(ref('fct_stated_count')) | map(attribute='name') | list -%}
    {%- if 'scope' in stated_columns -%}{%- set scope_expression = "scope" -%}{%- endif -%}
{%- endif %}
with

stated_counts as (

    select
        *,
        {{ scope_expression }} as count_scope
    from {{ ref('fct_stated_count') }}
    where subject in ('goals', 'goal', 'sub_goals', 'sub_goal', 'subgoals')

),

goal_assessments as (

    select * from {{ ref('fct_goal_assessment') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

-- one rating per goal (or sub-goal) and document: a goal rated in the summary table and
-- again in its section is one goal
ratings as (

    select
        document_name,
        goal_number,
        coalesce(sub_goal, '') as sub_goal_key,
        sub_goal is not null as is_sub_goal,
        arg_min(status, source_line) as status,
        min(source_line) as source_line
    from goal_assessments
    group by all

),

counted as (

    select
        stated_counts.stated_count_id,
        count(ratings.goal_number) filter (
            where stated_counts.category = 'total' or ratings.status = stated_counts.category
        ) as counted,
        array_to_string(list_sort(list(distinct ratings.source_line) filter (
            where stated_counts.category = 'total' or ratings.status = stated_counts.category
        )), ', ') as rating_lines
    from stated_counts
    inner join ratings
        on stated_counts.document_name = ratings.document_name
        and ratings.is_sub_goal = (stated_counts.subject in ('sub_goals', 'sub_goal', 'subgoals'))
        and (
            try_cast(regexp_extract(stated_counts.count_scope, '(\d+)', 1) as integer) is null
            or ratings.goal_number = try_cast(regexp_extract(stated_counts.count_scope, '(\d+)', 1) as integer)
        )
    group by stated_counts.stated_count_id

),

checked as (

    select
        stated_counts.*,
        documents.period_start as document_period_start,
        documents.period_end as document_period_end,
        counted.counted,
        counted.rating_lines,
        cast(counted.counted as double) - stated_counts.value as difference,
        {{ quality_tolerance('exact') }} as tolerance,
        case when stated_counts.subject like 'sub%' then 'sub-goal' else 'goal' end
            || case when stated_counts.value = 1 then '' else 's' end
            || coalesce(' in ' || stated_counts.count_scope, '')
            || ' rated ' || replace(stated_counts.category, '_', ' ') as what_en,
        case when stated_counts.subject like 'sub%' then 'delmål' else 'mål' end
            || coalesce(' inom ' || stated_counts.count_scope, '') || ' med bedömningen '
            || case stated_counts.category
                when 'met' then 'uppfyllt'
                when 'partly_met' then 'delvis uppfyllt'
                when 'not_met' then 'inte uppfyllt'
                when 'no_assessment' then 'ingen bedömning'
                when 'total' then '(alla)'
                else stated_counts.category
            end as what_sv
    from stated_counts
    inner join counted on stated_counts.stated_count_id = counted.stated_count_id
    left join documents
        on stated_counts.document_name = documents.document_name
        and not documents.is_unknown_member

),

final as (

    select
        {{ surrogate_key(["'stated_count_equals_rated_goals'", 'stated_count_id']) }} as rule_instance_id,
        'stated_count_equals_rated_goals' as rule,
        'warn' as severity,
        document_name as document,
        document_name as documents,
        cast(source_line as varchar) || ' (text)' || coalesce('; ' || rating_lines || ' (ratings)', '') as source_lines,
        cast(null as varchar) as kpi_code,
        cast(null as varchar) as org_unit_name,
        cast(null as varchar) as scenario,
        category as breakdown,
        document_period_start as period_start,
        document_period_end as period_end,
        'count' as unit,
        'stated on line ' || cast(source_line as varchar) || ': "' || source_text || '" = ' || {{ quality_number('value') }}
            || '; ratings in the goal table: ' || cast(counted as varchar) as inputs,
        value as expected,
        cast(counted as double) as actual,
        difference,
        tolerance,
        {{ quality_passed('difference', 'tolerance') }} as passed,
        case
            when {{ quality_passed('difference', 'tolerance') }} then
                'Texten på rad ' || cast(source_line as varchar) || ' anger ' || {{ quality_number('value', 'sv') }}
                || ' ' || what_sv || ', och måltabellen har lika många.'
            else
                'Texten på rad ' || cast(source_line as varchar) || ' anger ' || {{ quality_number('value', 'sv') }}
                || ' ' || what_sv || ', men måltabellen har ' || cast(counted as varchar) || '.'
        end as message_sv,
        case
            when {{ quality_passed('difference', 'tolerance') }} then
                'The text on line ' || cast(source_line as varchar) || ' states ' || {{ quality_number('value') }}
                || ' ' || what_en || ', and the goal table rates as many.'
            else
                'The text on line ' || cast(source_line as varchar) || ' states ' || {{ quality_number('value') }}
                || ' ' || what_en || ', but the goal table rates ' || cast(counted as varchar) || '.'
        end as message_en
    from checked

)

select * from final
