-- Assignments ('uppdrag') with Swedish column names and status labels; the rows of marts.fct_assignment.
{{ config(materialized='table', schema='marts') }}

with

assignments as (

    select * from {{ ref('fct_assignment') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

labels as (

    select * from {{ ref('int_swedish_labels') }}

),

final as (

    select
        assignments.document_name as dokument,
        documents.region_code as regionkod,
        documents.region_name as region,
        assignments.assignment_text as uppdrag,
        assignments.from_body as "från",
        assignments.to_body as till,
        coalesce(status_label.label_sv, assignments.status) as status,
        assignments.status as statuskod,
        assignments.status_text as status_enligt_dokumentet,
        assignments.deadline_text as "tidsgräns",
        assignments.source_line as "källrad",
        assignments.source_page as "källsida",
        assignments.source_text as "källtext",
        assignments.extraction_method as extraktionsmetod
    from assignments
    left join documents
        on assignments.document_id = documents.document_id
        and not documents.is_unknown_member
    left join labels as status_label
        on status_label.domain = 'assignment_status' and status_label.code = assignments.status

)

select * from final
