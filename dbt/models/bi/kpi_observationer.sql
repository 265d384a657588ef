-- The BI view with Swedish column names and Swedish labels for its codes; one row per
-- extracted value, exactly the rows of marts.kpi_observations. A table for the reason given there.
{{ config(materialized='table', schema='marts') }}

with

observations as (

    select * from {{ ref('kpi_observations') }}

),

labels as (

    select * from {{ ref('int_swedish_labels') }}

),

final as (

    select
        observations.document as dokument,
        observations.kpi_code as kpi_kod,
        observations.kpi_name_sv as kpi_namn,
        observations.kpi_category as kpi_kategori,
        observations.org_unit_code as organisationsenhet_kod,
        observations.org_unit_name as organisationsenhet,
        coalesce(level_label.label_sv, observations.org_unit_level) as "organisationsnivå",
        observations.region_code as regionkod,
        observations.region_name as region,
        observations.period_start as "period_från",
        observations.period_end as period_till,
        coalesce(period_label.label_sv, observations.period_type) as periodtyp,
        coalesce(scenario_label.label_sv, observations.scenario) as scenario,
        coalesce(breakdown_label.label_sv, observations.breakdown) as uppdelning,
        coalesce(comparison_label.label_sv, observations.comparison) as "jämförelse",
        observations.comparison_period_end as "jämfört_med_period_till",
        observations.value as "värde",
        coalesce(unit_label.label_sv, observations.unit) as enhet,
        observations.is_approximate as "är_ungefärligt",
        observations.is_preferred as "är_föredraget",
        observations.kpi_series_id as serie_id,
        observations.source_line as "källrad",
        observations.source_page as "källsida",
        observations.source_text as "källtext",
        observations.extraction_method as extraktionsmetod
    from observations
    left join labels as level_label
        on level_label.domain = 'org_unit_level' and level_label.code = observations.org_unit_level
    left join labels as period_label
        on period_label.domain = 'period_type' and period_label.code = observations.period_type
    left join labels as scenario_label
        on scenario_label.domain = 'scenario' and scenario_label.code = observations.scenario
    left join labels as breakdown_label
        on breakdown_label.domain = 'breakdown' and breakdown_label.code = observations.breakdown
    left join labels as comparison_label
        on comparison_label.domain = 'comparison' and comparison_label.code = observations.comparison
    left join labels as unit_label
        on unit_label.domain = 'unit' and unit_label.code = observations.unit

)

select * from final
