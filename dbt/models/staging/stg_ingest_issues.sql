with

source as (

    select * from {{ source('raw', 'ingest_issues') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key(['file_name', 'reason_code', 'detail']) }} as ingest_issue_id,
        file_name,
        sha256 as file_sha256,

        ---------- text
        reason_code,
        detail,

        ---------- numerics
        cast(size_bytes as bigint) as size_bytes,

        ---------- booleans
        cast(is_fatal as boolean) as is_fatal,

        ---------- timestamps
        cast(recorded_at as timestamp) as recorded_at

    from source

)

select * from renamed
