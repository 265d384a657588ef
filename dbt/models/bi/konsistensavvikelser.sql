-- Consistency findings with Swedish column names: where a report disagrees with itself or another
-- report. The rows of marts.consistency_findings, published, not hidden.
{{ config(materialized='table', schema='marts') }}

with

findings as (

    select * from {{ ref('consistency_findings') }}

),

labels as (

    select * from {{ ref('int_swedish_labels') }}

),

final as (

    select
        findings.rule_instance_id as avvikelse_id,
        coalesce(rule_label.label_sv, findings.rule) as regel,
        findings.rule as regelkod,
        coalesce(severity_label.label_sv, findings.severity) as allvarlighetsgrad,
        findings.document as dokument,
        findings.documents as alla_dokument,
        findings.source_lines as "källrader",
        findings.kpi_code as kpi_kod,
        findings.org_unit_name as organisationsenhet,
        coalesce(scenario_label.label_sv, findings.scenario) as scenario,
        coalesce(breakdown_label.label_sv, findings.breakdown) as uppdelning,
        findings.period_start as "period_från",
        findings.period_end as period_till,
        coalesce(unit_label.label_sv, findings.unit) as enhet,
        findings.inputs as indata,
        findings.expected as "förväntat",
        findings.actual as faktiskt,
        findings.difference as differens,
        findings.tolerance as tolerans,
        findings.message_sv as beskrivning,
        findings.message_en as beskrivning_engelska
    from findings
    left join labels as rule_label
        on rule_label.domain = 'rule' and rule_label.code = findings.rule
    left join labels as severity_label
        on severity_label.domain = 'severity' and severity_label.code = findings.severity
    left join labels as scenario_label
        on scenario_label.domain = 'scenario' and scenario_label.code = findings.scenario
    left join labels as breakdown_label
        on breakdown_label.domain = 'breakdown' and breakdown_label.code = findings.breakdown
    left join labels as unit_label
        on unit_label.domain = 'unit' and unit_label.code = findings.unit

)

select * from final
