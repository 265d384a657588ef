-- One row per assignment ('uppdrag') with its status as stated in the document.
with

assignments as (

    select * from {{ ref('stg_assignments') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

final as (

    select
        ---------- keys
        assignments.assignment_id,
        coalesce(documents.document_id, '{{ var("unknown_key") }}') as document_id,

        ---------- the assignment as extracted
        assignments.document_name,
        assignments.assignment_text,
        assignments.from_body,
        assignments.to_body,
        assignments.status,
        assignments.status_text,
        assignments.deadline_text,

        ---------- provenance
        assignments.source_line,
        assignments.source_page,
        assignments.source_text,
        assignments.extraction_method,
        assignments.document_sha256

    from assignments
    left join documents
        on assignments.document_name = documents.document_name
        and not documents.is_unknown_member

)

select * from final
