with

source as (

    select * from {{ source('raw', 'stated_counts') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key(['document', 'subject', 'category', 'value', 'source_line']) }} as stated_count_id,
        document as document_name,
        document_sha256,

        ---------- text
        subject,
        category,
        scope,
        source_text,
        extraction_method,

        ---------- numerics
        cast(value as double) as value,
        cast(source_line as integer) as source_line,
        cast(source_page as integer) as source_page

    from source

)

select * from renamed
