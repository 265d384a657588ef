-- Files that could not be read as reports, or were read with a caveat: published, not hidden.
with

ingest_issues as (

    select * from {{ ref('stg_ingest_issues') }}

),

final as (

    select
        ingest_issue_id,
        file_name,
        reason_code,
        detail,
        is_fatal,
        file_sha256,
        size_bytes,
        recorded_at
    from ingest_issues

)

select * from final
