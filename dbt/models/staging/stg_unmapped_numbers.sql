with

source as (

    select * from {{ source('raw', 'unmapped_numbers') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key(['document', 'source_line', 'number_text', 'value', 'unit', 'reason', 'measure', 'source_text']) }}
            as unmapped_number_id,
        document as document_name,
        document_sha256,

        ---------- text
        number_text,
        unit,
        reason,
        source_text,
        measure,

        ---------- numerics
        cast(value as double) as value,
        cast(source_line as integer) as source_line,
        cast(source_page as integer) as source_page

    from source

)

select * from renamed
