-- Values the reports state that measure what a Kolada KPI measures, in Kolada's grain: a full
-- calendar year, the region as a whole, the KPI marked kolada_match = 'same', gender T/K/M.
-- These are the region's own reported figures as extracted and processed here, not Kolada data:
-- they must not be labelled 'Källa: Kolada'; Kolada values placed beside them must be.
{{ config(materialized='table', schema='marts') }}

with

observations as (

    select * from {{ ref('kpi_observations') }}

),

comparable as (

    select
        *,
        -- Kolada splits by gender only: T (total), K (kvinnor), M (män)
        case breakdown
            when 'total' then 'T'
            when 'kvinnor' then 'K'
            when 'män' then 'M'
        end as kolada_gender
    from observations
    where kolada_match = 'same'
        and kolada_kpi_id is not null
        and scenario = 'actual'
        and comparison is null
        -- one value per KPI, region, year and gender: the one marts.kpi_series chose
        and is_preferred
        -- Kolada holds yearly values: the span must be one whole calendar year
        and period_start = make_date(year(period_end), 1, 1)
        and period_end = make_date(year(period_end), 12, 31)
        -- the region as a whole (Kolada's region level), not a committee, area or clinic
        and org_unit_level = 'region'
        and region_code is not null

),

final as (

    select
        kolada_kpi_id,
        '00' || region_code as kolada_region_id,
        year(period_end) as kolada_year,
        kolada_gender,
        document,
        kpi_code,
        kpi_name_sv,
        org_unit_code,
        org_unit_name,
        region_code,
        region_name,
        period_start,
        period_end,
        value,
        unit,
        is_approximate,
        source_line,
        source_page,
        source_text,
        'Källa: ' || document || ', rad ' || source_line || coalesce(', sida ' || source_page, '')
            || ' (regionens egen rapport, bearbetad; inte Kolada-data)' as source_attribution
    from comparable
    where kolada_gender is not null

)

select * from final
