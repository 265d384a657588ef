-- Counts a document states about itself ('tre mål bedöms inte uppfyllas'), kept for reconciliation.
with

stated_counts as (

    select * from {{ ref('stg_stated_counts') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

final as (

    select
        ---------- keys
        stated_counts.stated_count_id,
        coalesce(documents.document_id, '{{ var("unknown_key") }}') as document_id,

        ---------- the count as extracted
        stated_counts.document_name,
        stated_counts.subject,
        stated_counts.category,
        stated_counts.scope,
        stated_counts.value,

        ---------- provenance
        stated_counts.source_line,
        stated_counts.source_page,
        stated_counts.source_text,
        stated_counts.extraction_method,
        stated_counts.document_sha256

    from stated_counts
    left join documents
        on stated_counts.document_name = documents.document_name
        and not documents.is_unknown_member

)

select * from final
