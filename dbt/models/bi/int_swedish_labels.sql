-- Swedish labels for the English codes the marts store, from seeds/swedish_labels.csv: the one
-- list the Swedish views and the HTML report (dagster_project/report/labels.py) both read.
-- Codes without a label pass through unchanged.
{{ config(materialized='ephemeral') }}

with

labels as (

    select * from {{ ref('swedish_labels') }}

),

final as (

    select
        domain,
        code,
        label_sv
    from labels

)

select * from final
