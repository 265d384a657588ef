with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        ---------- ids
        document_id,
        document as document_name,
        sha256 as document_sha256,

        ---------- text
        region_code,
        region_name,
        organisation,
        organisation_code,
        from_file_name,
        document_kind,
        title,
        encoding,
        source_format,
        extractor_version,

        ---------- numerics
        cast(size_bytes as bigint) as size_bytes,
        cast(line_count as integer) as line_count,

        ---------- dates and timestamps
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(published_on as date) as published_on,
        cast(loaded_at as timestamp) as loaded_at

    from source

)

select * from renamed
