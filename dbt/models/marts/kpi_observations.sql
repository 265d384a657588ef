-- The BI view (docs/bi_contract.md): the contract's columns first, in the contract's order;
-- extra columns only after them. A table, not a view: a view's body names its relations without
-- a catalogue, and DuckDB before 1.2 binds those names in the client's default catalogue, so a
-- client that ATTACHes the file under any name (`ATTACH ... AS wh`) could not read a view.

with

observations as (

    select * from {{ ref('fct_kpi_observation') }}

),

kpis as (

    select * from {{ ref('dim_kpi') }}

),

org_units as (

    select * from {{ ref('dim_org_unit') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

series as (

    select * from {{ ref('kpi_series') }}

),

place_abbreviations as (

    select * from {{ ref('int_place_abbreviations') }}

),

final as (

    select
        ---------- the contract
        observations.document_name as document,
        -- the code as extracted: an uncatalogued code stays visible instead of becoming '-1'
        observations.extracted_kpi_code as kpi_code,
        kpis.kpi_name_sv,
        observations.org_unit_code,
        {{ org_unit_display_name('observations.org_unit_label', 'org_units') }} as org_unit_name,
        observations.region_code,
        observations.period_start,
        observations.period_end,
        observations.period_type,
        observations.scenario,
        -- the contract's breakdown: a table's difference column stays 'diff_vs_2021_12' here (the
        -- spec's own example); the comparison columns below say the same as data, and kpi_series
        -- keeps differences apart from the values they compare
        observations.breakdown_as_extracted as breakdown,
        observations.value,
        observations.unit,
        observations.is_approximate,
        observations.source_line,
        observations.source_text,
        observations.extraction_method,

        ---------- one answer per question: the row marts.kpi_series chose for its series
        observations.comparison,
        observations.comparison_period_end,
        series.kpi_observation_id is not null as is_preferred,
        observations.kpi_series_id,

        ---------- extras
        observations.kpi_observation_id,
        observations.document_id,
        observations.period_key,
        periods.label as period_label,
        kpis.kpi_name_en,
        kpis.category as kpi_category,
        kpis.value_kind,
        kpis.kolada_kpi_id,
        kpis.kolada_match,
        org_units.level as org_unit_level,
        org_units.parent_code as org_unit_parent_code,
        org_units.region_name,
        observations.org_unit_label,
        observations.document_sha256,
        observations.measure,
        observations.binding,
        observations.period_source,
        observations.value_low,
        observations.value_high,
        observations.source_page

    from observations
    cross join place_abbreviations
    left join kpis on observations.kpi_code = kpis.kpi_code
    left join org_units on observations.org_unit_code = org_units.org_unit_code
    left join periods on observations.period_key = periods.period_key
    left join series on observations.kpi_observation_id = series.kpi_observation_id

)

select * from final
