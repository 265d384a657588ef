-- Goal ratings with Swedish column names and status labels; the rows of marts.fct_goal_assessment.
{{ config(materialized='table', schema='marts') }}

with

goal_assessments as (

    select * from {{ ref('fct_goal_assessment') }}

),

org_units as (

    select * from {{ ref('dim_org_unit') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

labels as (

    select * from {{ ref('int_swedish_labels') }}

),

final as (

    select
        goal_assessments.document_name as dokument,
        documents.region_code as regionkod,
        documents.region_name as region,
        goal_assessments.org_unit_code as organisationsenhet_kod,
        -- the canonical name when the unit resolved, else the label as the document wrote it
        case
            when coalesce(org_units.is_unknown_member, true) then goal_assessments.org_unit_label
            else org_units.org_unit_name
        end as organisationsenhet,
        goal_assessments.goal_number as "målnummer",
        goal_assessments.sub_goal as "delmål",
        goal_assessments.goal_text as "målformulering",
        coalesce(status_label.label_sv, goal_assessments.status) as "bedömning",
        goal_assessments.status as "bedömningskod",
        coalesce(scenario_label.label_sv, goal_assessments.scenario) as scenario,
        goal_assessments.period_end as period_till,
        goal_assessments.source_line as "källrad",
        goal_assessments.source_page as "källsida",
        goal_assessments.source_text as "källtext",
        goal_assessments.extraction_method as extraktionsmetod
    from goal_assessments
    left join org_units on goal_assessments.org_unit_code = org_units.org_unit_code
    left join documents
        on goal_assessments.document_id = documents.document_id
        and not documents.is_unknown_member
    left join labels as status_label
        on status_label.domain = 'goal_status' and status_label.code = goal_assessments.status
    left join labels as scenario_label
        on scenario_label.domain = 'scenario' and scenario_label.code = goal_assessments.scenario

)

select * from final
