with

source as (

    select * from {{ source('raw', 'goal_assessments') }}

),

renamed as (

    select
        ---------- ids
        {{ surrogate_key([
            'document', 'org_unit', 'goal_number', 'sub_goal', 'scenario', 'period_end',
            'source_line', 'status'
        ]) }} as goal_assessment_id,
        document as document_name,
        document_sha256,

        ---------- text
        nullif(trim(org_unit), '') as org_unit_label,
        sub_goal,
        goal_text,
        status,
        scenario,
        source_text,
        extraction_method,

        ---------- numerics
        cast(goal_number as integer) as goal_number,
        cast(source_line as integer) as source_line,
        cast(source_page as integer) as source_page,

        ---------- dates
        cast(period_end as date) as period_end

    from source

)

select * from renamed
