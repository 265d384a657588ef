with

source as (

    select * from {{ ref('kpi_catalogue') }}

),

renamed as (

    select
        ---------- ids
        kpi_code,
        nullif(trim(kolada_kpi_id), '') as kolada_kpi_id,

        ---------- text
        category,
        unit,
        value_kind,
        name_sv as kpi_name_sv,
        name_en as kpi_name_en,
        definition,
        coalesce(nullif(trim(kolada_match), ''), 'none') as kolada_match,

        ---------- booleans
        higher_is_better

    from source

)

select * from renamed
