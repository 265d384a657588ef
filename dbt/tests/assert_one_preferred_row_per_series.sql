-- Each series of marts.kpi_series has exactly one preferred row in marts.kpi_observations, and
-- every row belongs to a series: a sum over preferred rows counts each fact once.
-- (meta: Dagster shows it as a check of marts.kpi_observations)
{{ config(meta={'dagster': {'ref': {'name': 'kpi_observations'}}}) }}

with

observations as (

    select * from {{ ref('kpi_observations') }}

),

series as (

    select * from {{ ref('kpi_series') }}

),

per_series as (

    select
        kpi_series_id,
        count(*) filter (where is_preferred) as preferred_rows,
        count(*) as statement_rows
    from observations
    group by kpi_series_id

),

final as (

    select
        coalesce(per_series.kpi_series_id, series.kpi_series_id) as kpi_series_id,
        per_series.preferred_rows,
        per_series.statement_rows,
        series.statement_count
    from per_series
    full outer join series
        on per_series.kpi_series_id = series.kpi_series_id
    where per_series.preferred_rows is distinct from 1
        or series.statement_count is distinct from per_series.statement_rows

)

select * from final
