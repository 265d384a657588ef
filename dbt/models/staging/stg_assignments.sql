with

source as (

    select * from {{ source('raw', 'assignments') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key(['document', 'source_line', 'assignment_text', 'from_body', 'to_body']) }}
            as assignment_id,
        document as document_name,
        document_sha256,

        ---------- text
        assignment_text,
        from_body,
        to_body,
        status,
        status_text,
        -- as written in the document ('senast juni 2023'), so text, not a date
        deadline as deadline_text,
        source_text,
        extraction_method,

        ---------- numerics
        cast(source_line as integer) as source_line,
        cast(source_page as integer) as source_page

    from source

)

select * from renamed
