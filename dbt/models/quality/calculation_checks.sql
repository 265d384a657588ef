-- Sums the reports imply, declared as data in seeds/calculation_relations.csv, checked where a
-- report states every part. One row per statement of a relation's parent:
--   components  the parent measure = the weighted child measures of the same organisation
--               (result = operating result + financial net);
--   areas       a unit's measure = the same measure of its areas, the areas being the unit's
--               children in seeds/org_units.csv that the document states this measure for;
--   table_rows  a table's total row = the table's other rows (a table: one document, KPI,
--               measure, period, scenario, breakdown and family; each row belongs to the first
--               total at or below it, else the nearest above).
-- Parts come from the same document, period, scenario and breakdown, read firmly (measure named
-- in its own clause, table or chart). When some but not all parts are stated the row is
-- 'not_checkable' and names what is missing; it raises no finding. A relation with no part
-- stated for the parent's period is not in play and gets no row. Tolerance is the rounding of the statements
-- (macro quality_half_width for each, quality_rounding_tolerance for the sum): the parts'
-- half-widths (times their weights) and the parent's. A failing check that matches a defaulted period with stated ones is
-- doubtful (doubt_reason) and goes to consistency_needs_review instead of the findings.
{%- set match_keys = ['document', 'period_start', 'period_end', 'scenario', 'breakdown'] -%}
{%- set table_families = "'" ~ var('quality_table_families', ['table', 'chart']) | join("', '") ~ "'" %}

with

relations as (

    select * from {{ ref('calculation_relations') }}

),

observations as (

    select * from {{ ref('int_quality_observations') }}
    where value is not null
        and measure is not null
        and is_direct

),

org_units as (

    select * from {{ ref('dim_org_unit') }}
    where not is_unknown_member

),

relation_parents as (

    select distinct relation, scope, parent_measure, description_sv
    from relations

),

parents as (

    select
        -- a statement can be the parent of several relations (its unit's components and areas)
        relation_parents.relation || '|' || observations.kpi_observation_id as parent_key,
        relation_parents.relation,
        relation_parents.scope,
        relation_parents.description_sv,
        observations.*
    from observations
    inner join relation_parents on observations.measure = relation_parents.parent_measure
    where relation_parents.scope <> 'table_rows'
        or (observations.method_family in ({{ table_families }}) and observations.org_unit_level = 'county_total')

),

---------- what each parent statement needs

component_expected as (

    select
        parents.parent_key as parent_id,
        relations.child_measure as part_key,
        relations.child_label_sv as part_label,
        relations.child_measure,
        relations.weight
    from parents
    inner join relations on parents.relation = relations.relation
    where parents.scope = 'components'

),

-- a unit's areas as the document lists them: its children the document states the measure for
area_expected_all as (

    select
        parents.parent_key as parent_id,
        org_units.org_unit_code as part_key,
        org_units.org_unit_name as part_label,
        relations.child_measure,
        relations.weight
    from parents
    inner join relations on parents.relation = relations.relation
    inner join org_units
        on org_units.parent_code = parents.org_unit_code
        and org_units.level = 'area'
    where parents.scope = 'areas'
        and exists (
            select 1 from observations as listed
            where listed.document = parents.document
                and listed.measure = relations.child_measure
                and listed.org_unit_code = org_units.org_unit_code
        )

),

-- a unit with fewer than two listed areas has no sum to check
area_expected as (

    select * from area_expected_all
    qualify count(*) over (partition by parent_id) >= 2

),

---------- the parts found

component_parts as (

    select
        component_expected.parent_id,
        component_expected.part_key,
        component_expected.part_label,
        component_expected.weight,
        observations.kpi_observation_id,
        observations.value,
        observations.half_width,
        observations.is_period_defaulted,
        observations.source_line,
        observations.source_text
    from component_expected
    inner join parents on component_expected.parent_id = parents.parent_key
    inner join observations
        on observations.measure = component_expected.child_measure
        and observations.org_unit_key = parents.org_unit_key
        {% for key in match_keys %}and observations.{{ key }} is not distinct from parents.{{ key }}
        {% endfor %}
    -- a part stated twice counts with its most precise statement (a disagreement is the
    -- conflicting-values rule's)
    qualify row_number() over (
        partition by component_expected.parent_id, component_expected.part_key
        order by observations.value_high - observations.value_low, observations.source_line
    ) = 1

),

area_parts as (

    select
        area_expected.parent_id,
        area_expected.part_key,
        area_expected.part_label,
        area_expected.weight,
        observations.kpi_observation_id,
        observations.value,
        observations.half_width,
        observations.is_period_defaulted,
        observations.source_line,
        observations.source_text
    from area_expected
    inner join parents on area_expected.parent_id = parents.parent_key
    inner join observations
        on observations.measure = area_expected.child_measure
        and observations.org_unit_code = area_expected.part_key
        {% for key in match_keys %}and observations.{{ key }} is not distinct from parents.{{ key }}
        {% endfor %}
    qualify row_number() over (
        partition by area_expected.parent_id, area_expected.part_key
        order by observations.value_high - observations.value_low, observations.source_line
    ) = 1

),

table_parts as (

    select
        parents.parent_key as parent_id,
        rows.kpi_observation_id as part_key,
        rows.org_unit_name as part_label,
        relations.weight,
        rows.kpi_observation_id,
        rows.value,
        rows.half_width,
        rows.is_period_defaulted,
        rows.source_line,
        rows.source_text
    from parents
    inner join relations on parents.relation = relations.relation
    inner join observations as rows
        on rows.measure = relations.child_measure
        and rows.kpi_code = parents.kpi_code
        and rows.method_family = parents.method_family
        and coalesce(rows.org_unit_level, '') <> 'county_total'
        {% for key in match_keys %}and rows.{{ key }} is not distinct from parents.{{ key }}
        {% endfor %}
    where parents.scope = 'table_rows'
    -- several tables of one KPI in a document: totals close a table
    qualify row_number() over (
        partition by rows.kpi_observation_id, parents.relation
        order by
            case when parents.source_line >= rows.source_line then 0 else 1 end,
            abs(parents.source_line - rows.source_line),
            parents.parent_key
    ) = 1

),

expected as (

    select parent_id, part_key, part_label from component_expected
    union all
    select parent_id, part_key, part_label from area_expected
    union all
    select parent_id, part_key, part_label from table_parts

),

found as (

    select * from component_parts
    union all
    select * from area_parts
    union all
    select * from table_parts

),

---------- per parent statement

missing as (

    select
        expected.parent_id,
        count(*) as parts_expected,
        count(found.part_key) as parts_found,
        string_agg(expected.part_label, ', ' order by expected.part_label) filter (where found.part_key is null)
            as parts_missing
    from expected
    left join found
        on expected.parent_id = found.parent_id
        and expected.part_key = found.part_key
    group by expected.parent_id

),

sums as (

    select
        parent_id,
        sum(weight * value) as parts_sum,
        sum(abs(weight) * half_width) as parts_half_width,
        sum(power(weight * half_width, 2)) as parts_squared_half_width,
        bool_or(is_period_defaulted) as any_part_defaulted,
        bool_and(is_period_defaulted) as all_parts_defaulted,
        min(source_line) as first_part_line,
        max(source_line) as last_part_line,
        string_agg(
            coalesce(nullif(part_label, ''), '?') || ' ' || {{ quality_number('weight * value', 'sv') }}
                || ' (rad ' || cast(source_line as varchar) || ')',
            ' + ' order by source_line, part_label
        ) as parts_text_sv,
        string_agg(
            coalesce(nullif(part_label, ''), '?') || ' ' || {{ quality_number('weight * value') }}
                || ' (line ' || cast(source_line as varchar) || ')',
            ' + ' order by source_line, part_label
        ) as parts_text_en,
        array_to_string(list_sort(list(distinct source_line)), ', ') as part_lines,
        list(distinct {'line': source_line, 'text': source_text}) as cited_parts
    from found
    group by parent_id

),

checked as (

    select
        parents.*,
        missing.parts_expected,
        missing.parts_found,
        missing.parts_missing,
        sums.parts_sum,
        sums.parts_text_sv,
        sums.parts_text_en,
        sums.part_lines,
        sums.first_part_line,
        sums.last_part_line,
        sums.cited_parts,
        case when missing.parts_found = missing.parts_expected then 'checked' else 'not_checkable' end as status,
        {{ quality_rounding_tolerance('sums.parts_half_width + parents.half_width',
            'sums.parts_squared_half_width + power(parents.half_width, 2)') }} as tolerance,
        sums.parts_sum - parents.value as difference,
        -- a period only defaulted from the document, matched with one the text states
        case
            when (parents.is_period_defaulted or sums.any_part_defaulted)
                and not (parents.is_period_defaulted and sums.all_parts_defaulted)
                then 'defaulted_period'
        end as doubt_reason
    from parents
    inner join missing on parents.parent_key = missing.parent_id
    left join sums on parents.parent_key = sums.parent_id
    -- a relation none of whose parts the document states for this period is not in play
    where missing.parts_found > 0

),

final as (

    select
        {{ surrogate_key(['relation', 'kpi_observation_id']) }} as calculation_check_id,
        relation,
        scope,
        description_sv,
        status,
        document,
        kpi_observation_id,
        kpi_code,
        kpi_name_sv,
        kpi_name_en,
        measure,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        value,
        source_line,
        source_text,
        parts_expected,
        parts_found,
        parts_missing,
        case when status = 'checked' then parts_sum end as parts_sum,
        parts_text_sv,
        parts_text_en,
        part_lines,
        first_part_line,
        last_part_line,
        case when status = 'checked' then difference end as difference,
        tolerance,
        case when status = 'checked' then {{ quality_passed('difference', 'tolerance') }} end as passed,
        doubt_reason,
        {{ quality_cite('source_line', 'source_text') }}
            || coalesce(' | ' || array_to_string(list_transform(
                list_filter(list_sort(cited_parts), c -> c.line <> source_line), c -> {{ quality_cite('c.line', 'c.text') }}
            ), ' | '), '') as cited_text
    from checked

)

select * from final
