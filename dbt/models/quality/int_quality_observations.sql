-- The BI view's rows with what the rules group on: the extraction method family ('table',
-- 'chart', 'text' ...: the part before the first ':'), a unit key that keeps unmatched units
-- apart by their label, whether the breakdown is a difference column, and how firmly the
-- number was read: is_direct (its measure named in its own clause, table or chart, not carried
-- over from an earlier sentence or heading), is_period_defaulted (the period is only the
-- document's) and half_width (the rounding a sum must allow for it).
{{ config(materialized='ephemeral') }}

with

observations as (

    select * from {{ ref('kpi_observations') }}

),

final as (

    select
        observations.*,
        split_part(observations.extraction_method, ':', 1) as method_family,
        case
            when observations.org_unit_code is null or observations.org_unit_code = '{{ var("unknown_key") }}'
                then 'label:' || lower(coalesce(observations.org_unit_label, observations.org_unit_name, ''))
            else observations.org_unit_code
        end as org_unit_key,
        coalesce(
            observations.breakdown like 'diff%'
            or observations.breakdown like 'change%'
            or observations.breakdown ilike '%förändring%',
            false
        ) as is_difference_breakdown,
        coalesce(observations.binding, 'clause') <> 'carried' as is_direct,
        coalesce(observations.period_source, 'document') = 'document' as is_period_defaulted,
        {{ quality_half_width('observations.') }} as half_width
    from observations

)

select * from final
