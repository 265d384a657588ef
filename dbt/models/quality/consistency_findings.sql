-- One row per failed rule instance: what an analyst reviews, with the class of finding (the
-- report contradicts itself, a sum does not add up, a count does not match, a misprint), the
-- text of the lines it cites and a Swedish message saying what to check. Errors first, then by
-- document and line. Candidates resting on a doubtful reading are in consistency_needs_review.
with

instances as (

    select * from {{ ref('consistency_rule_instances') }}

),

final as (

    select
        rule_instance_id,
        rule,
        severity,
        finding_class,
        finding_class_sv,
        document,
        documents,
        source_lines,
        kpi_code,
        org_unit_name,
        scenario,
        breakdown,
        period_start,
        period_end,
        unit,
        inputs,
        expected,
        actual,
        difference,
        tolerance,
        message_sv,
        message_en,
        cited_text
    from instances
    where not passed
    order by
        case severity when 'error' then 0 else 1 end,
        document,
        try_cast(regexp_extract(source_lines, '(\d+)', 1) as integer),
        rule

)

select * from final
