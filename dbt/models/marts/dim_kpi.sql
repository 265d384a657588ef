with

kpi_catalogue as (

    select * from {{ ref('stg_kpi_catalogue') }}

),

unknown_member as (

    select
        '{{ var("unknown_key") }}' as kpi_code,
        'unknown' as category,
        cast(null as varchar) as unit,
        cast(null as varchar) as value_kind,
        cast(null as boolean) as higher_is_better,
        'Okänt nyckeltal' as kpi_name_sv,
        'Unknown KPI' as kpi_name_en,
        'Stands in for a KPI code the catalogue lacks, so facts keep their rows.' as definition,
        cast(null as varchar) as kolada_kpi_id,
        'none' as kolada_match,
        true as is_unknown_member

),

final as (

    select
        kpi_code,
        category,
        unit,
        value_kind,
        higher_is_better,
        kpi_name_sv,
        kpi_name_en,
        definition,
        kolada_kpi_id,
        kolada_match,
        false as is_unknown_member
    from kpi_catalogue

    union all

    select * from unknown_member

)

select * from final
