-- One row per failed rule instance: what an analyst reviews. Errors first, then by document
-- and line.
with

instances as (

    select * from {{ ref('consistency_rule_instances') }}

),

final as (

    select
        rule_instance_id,
        rule,
        severity,
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
        message_en
    from instances
    where not passed
    order by
        case severity when 'error' then 0 else 1 end,
        document,
        try_cast(regexp_extract(source_lines, '(\d+)', 1) as integer),
        rule

)

select * from final
