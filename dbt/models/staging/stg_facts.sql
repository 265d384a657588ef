with

source as (

    select * from {{ source('raw', 'facts') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key([
            'document', 'kpi_code', 'org_unit', 'region_code', 'period_start', 'period_end',
            'period_type', 'scenario', 'breakdown', 'value', 'unit', 'source_line', 'extraction_method'
        ]) }} as fact_id,
        document as document_name,
        document_sha256,
        kpi_code,

        ---------- text
        nullif(trim(org_unit), '') as org_unit_label,
        region_code,
        period_type,
        scenario,
        breakdown,
        unit,
        source_text,
        extraction_method,
        measure,
        coalesce(binding, 'clause') as binding,
        coalesce(period_source, 'document') as period_source,

        ---------- numerics
        cast(value as double) as value,
        cast(coalesce(value_low, value) as double) as value_low,
        cast(coalesce(value_high, value) as double) as value_high,
        cast(source_line as integer) as source_line,
        cast(source_page as integer) as source_page,

        ---------- booleans
        cast(is_approximate as boolean) as is_approximate,

        ---------- dates
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end

    from source

)

select * from renamed
