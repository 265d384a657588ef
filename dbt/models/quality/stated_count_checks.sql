-- What the text says about how many goals, sub-goals, indicators, assignments or measures
-- there are, or how many have a rating or status, against what the document rates or lists.
-- Two kinds of check:
--   items      each stated count against the items of its subject (and scope, e.g. the
--              sub-goals of 'Mål 3') that the document rates (fct_goal_assessment, one rating
--              per goal) or lists (fct_assignment);
--   own_total  where the document lists nothing to compare with, a statement's parts
--              ('fyra gröna, en gul och tre röda') may not exceed its own total ('Av nio
--              indikatorer'); parts that fall short only leave some unaccounted.
-- status 'not_checkable' (with not_checkable_reason) raises nothing. doubt_reason marks a check
-- that cannot accuse: a statement whose total differs from the items counted is about another
-- set, or the extraction missed items, so neither the total nor its parts are compared.
with

stated_counts as (

    select * from {{ ref('fct_stated_count') }}

),

goal_assessments as (

    select * from {{ ref('fct_goal_assessment') }}

),

assignments as (

    select * from {{ ref('fct_assignment') }}

),

-- one rating per goal or sub-goal: rated in a summary table and again in its section is one
ratings as (

    select
        document_name,
        goal_number,
        sub_goal,
        arg_min(status, source_line) as status,
        arg_min(source_text, source_line) as source_text,
        min(source_line) as source_line,
        count(distinct org_unit_code) as org_unit_count,
        min(org_unit_code) as org_unit_code
    from goal_assessments
    group by document_name, goal_number, sub_goal

),

items as (

    select document_name, 'goals' as subject, cast(null as varchar) as scope, status as category,
        source_line, source_text, org_unit_code as item_set
    from ratings
    where sub_goal is null

    union all

    select document_name, 'sub_goals', 'Mål ' || cast(goal_number as varchar), status,
        source_line, source_text, org_unit_code
    from ratings
    where sub_goal is not null

    union all

    select document_name, 'assignments', null, status, source_line, source_text,
        coalesce(from_body, '?') || ' -> ' || coalesce(to_body, '?')
    from assignments

),

-- a stated count's statement: its own total, the nearest total of the same subject and scope
-- stated on its line or up to three lines before ('Av de tio mål ... 4 helt ... 3 inte')
with_totals as (

    select
        counts.*,
        totals.stated_count_id as total_id,
        totals.value as statement_total
    from stated_counts as counts
    left join stated_counts as totals
        on totals.document_name = counts.document_name
        and totals.subject = counts.subject
        and totals.scope is not distinct from counts.scope
        and totals.category = 'total'
        and totals.source_line between counts.source_line - 3 and counts.source_line
    qualify row_number() over (
        partition by counts.stated_count_id
        order by totals.source_line desc nulls last, totals.stated_count_id
    ) = 1

),

item_counts as (

    select
        with_totals.stated_count_id,
        count(items.subject) as items_total,
        count(items.subject) filter (
            where with_totals.category = 'total' or items.category = with_totals.category
        ) as counted,
        count(distinct items.item_set) as item_sets,
        count(items.subject) filter (where items.category is null) as items_without_status,
        array_to_string(list_sort(list(distinct items.source_line) filter (
            where with_totals.category = 'total' or items.category = with_totals.category
        )), ', ') as item_lines,
        list(distinct {'line': items.source_line, 'text': items.source_text}) filter (
            where with_totals.category = 'total' or items.category = with_totals.category
        ) as cited_items
    from with_totals
    left join items
        on items.document_name = with_totals.document_name
        and items.subject = with_totals.subject
        and (with_totals.scope is null or items.scope = with_totals.scope)
    group by with_totals.stated_count_id

),

item_checks as (

    select
        'items' as check_kind,
        with_totals.*,
        item_counts.counted,
        item_counts.items_total,
        item_counts.item_lines,
        item_counts.cited_items,
        case
            when item_counts.items_total = 0 then 'nothing_listed'
            when item_counts.item_sets > 1 then 'several_item_sets'
            when with_totals.category <> 'total' and item_counts.items_without_status > 0 then 'status_not_listed'
        end as not_checkable_reason,
        case
            when item_counts.items_total = 0 then null
            when with_totals.category = 'total' and with_totals.value <> item_counts.items_total
                then 'total_differs_from_items'
            when with_totals.category <> 'total' and with_totals.statement_total <> item_counts.items_total
                then 'total_differs_from_items'
            when with_totals.category <> 'total' and with_totals.value > item_counts.items_total
                then 'total_differs_from_items'
        end as doubt_reason,
        cast(item_counts.counted as double) - with_totals.value as difference,
        0.0 as tolerance
    from with_totals
    inner join item_counts on with_totals.stated_count_id = item_counts.stated_count_id

),

-- the parts of each statement whose subject has nothing listed, against the statement's total
own_parts as (

    select
        total_id,
        sum(value) as parts_sum,
        string_agg(cast(value as integer) || ' ' || {{ quality_count_category_sv('category') }}, ', '
            order by source_line, category) as parts_text_sv,
        array_to_string(list_sort(list(distinct source_line)), ', ') as part_lines,
        list(distinct {'line': source_line, 'text': source_text}) as cited_parts
    from item_checks
    where category <> 'total'
        and total_id is not null
        and not_checkable_reason = 'nothing_listed'
    group by total_id

),

own_total_checks as (

    select
        'own_total' as check_kind,
        with_totals.*,
        own_parts.parts_sum as counted,
        cast(null as bigint) as items_total,
        own_parts.part_lines as item_lines,
        own_parts.parts_text_sv,
        own_parts.cited_parts as cited_items,
        cast(null as varchar) as not_checkable_reason,
        cast(null as varchar) as doubt_reason,
        -- parts may leave some unaccounted; only an excess contradicts the total
        greatest(own_parts.parts_sum - with_totals.value, 0) as difference,
        0.0 as tolerance
    from with_totals
    inner join own_parts on with_totals.stated_count_id = own_parts.total_id
    where with_totals.category = 'total'

),

combined as (

    select * from item_checks
    union all by name
    select * from own_total_checks

),

final as (

    select
        {{ surrogate_key(['check_kind', 'stated_count_id']) }} as stated_count_check_id,
        check_kind,
        case when not_checkable_reason is null then 'checked' else 'not_checkable' end as status,
        not_checkable_reason,
        doubt_reason,
        stated_count_id,
        document_name as document,
        subject,
        category,
        scope,
        value,
        statement_total,
        counted,
        items_total,
        case when not_checkable_reason is null then difference end as difference,
        tolerance,
        case when not_checkable_reason is null then {{ quality_passed('difference', 'tolerance') }} end as passed,
        source_line,
        source_text,
        item_lines,
        parts_text_sv,
        {{ quality_cite('source_line', 'source_text') }}
            || coalesce(' | ' || array_to_string(list_transform(
                list_filter(list_sort(cited_items), c -> c.line <> source_line), c -> {{ quality_cite('c.line', 'c.text') }}
            ), ' | '), '') as cited_text
    from combined

)

select * from final
