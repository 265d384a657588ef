with

documents as (

    select * from {{ ref('stg_documents') }}

),

unknown_member as (

    select
        '{{ var("unknown_key") }}' as document_id,
        '(unknown document)' as document_name,
        cast(null as varchar) as document_sha256,
        cast(null as varchar) as document_kind,
        cast(null as varchar) as title,
        cast(null as varchar) as region_code,
        cast(null as varchar) as region_name,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        cast(null as bigint) as size_bytes,
        cast(null as integer) as line_count,
        cast(null as varchar) as encoding,
        cast(null as varchar) as source_format,
        cast(null as timestamp) as loaded_at,
        true as is_unknown_member

),

final as (

    select
        document_id,
        document_name,
        document_sha256,
        document_kind,
        title,
        region_code,
        region_name,
        period_start,
        period_end,
        size_bytes,
        line_count,
        encoding,
        source_format,
        loaded_at,
        false as is_unknown_member
    from documents

    union all

    select * from unknown_member

)

select * from final
