-- The BI view's rows with what the rules group on: the extraction method family ('table',
-- 'chart', 'text' ...: the part before the first ':'), a unit key that keeps unmatched units
-- apart by their label, and whether the breakdown is a difference column.
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
        ) as is_difference_breakdown
    from observations

)

select * from final
