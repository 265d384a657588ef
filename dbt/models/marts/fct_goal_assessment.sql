-- One row per goal or sub-goal rating, with its document and org unit (unknown member as fallback).
with

goal_assessments as (

    select * from {{ ref('stg_goal_assessments') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

org_unit_labels as (

    select * from {{ ref('int_org_unit_labels') }}

),

place_abbreviations as (

    select * from {{ ref('int_place_abbreviations') }}

),

goals_in_context as (

    select
        goal_assessments.*,
        documents.document_id,
        documents.region_code,
        {{ org_unit_label_key('goal_assessments.org_unit_label') }} as org_unit_label_key
    from goal_assessments
    cross join place_abbreviations
    left join documents
        on goal_assessments.document_name = documents.document_name
        and not documents.is_unknown_member

),

org_unit_matches as (

    {{ org_unit_match('goals_in_context', 'goal_assessment_id', 'region_code') }}

),

final as (

    select
        ---------- keys
        goals_in_context.goal_assessment_id,
        coalesce(goals_in_context.document_id, '{{ var("unknown_key") }}') as document_id,
        coalesce(org_unit_matches.org_unit_code, '{{ var("unknown_key") }}') as org_unit_code,

        ---------- the rating as extracted
        goals_in_context.document_name,
        goals_in_context.org_unit_label,
        goals_in_context.goal_number,
        goals_in_context.sub_goal,
        goals_in_context.goal_text,
        goals_in_context.status,
        goals_in_context.scenario,
        goals_in_context.period_end,

        ---------- provenance
        goals_in_context.source_line,
        goals_in_context.source_page,
        goals_in_context.source_text,
        goals_in_context.extraction_method,
        goals_in_context.document_sha256

    from goals_in_context
    left join org_unit_matches
        on goals_in_context.goal_assessment_id = org_unit_matches.goal_assessment_id

)

select * from final
