-- Numbers no rule turned into a KPI value, published so gaps in extraction stay visible.
with

unmapped_numbers as (

    select * from {{ ref('stg_unmapped_numbers') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

final as (

    -- distinct: a number a rule listed twice is one gap, not two
    select distinct
        unmapped_numbers.unmapped_number_id,
        coalesce(documents.document_id, '{{ var("unknown_key") }}') as document_id,
        unmapped_numbers.document_name,
        unmapped_numbers.source_line,
        unmapped_numbers.source_page,
        unmapped_numbers.number_text,
        unmapped_numbers.value,
        unmapped_numbers.unit,
        unmapped_numbers.reason,
        unmapped_numbers.measure,
        unmapped_numbers.source_text,
        unmapped_numbers.document_sha256
    from unmapped_numbers
    left join documents
        on unmapped_numbers.document_name = documents.document_name
        and not documents.is_unknown_member

)

select * from final
