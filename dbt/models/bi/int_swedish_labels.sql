-- Swedish labels for the English codes the marts store, in one place, so every Swedish view
-- translates a code the same way. Codes without a label pass through unchanged.
{{ config(materialized='ephemeral') }}

with

labels (domain, code, label_sv) as (

    values
        ('scenario', 'actual', 'utfall'),
        ('scenario', 'forecast', 'prognos'),
        ('scenario', 'target', 'målvärde'),
        ('period_type', 'month', 'månad'),
        ('period_type', 'year_to_date', 'ackumulerat hittills i år'),
        ('period_type', 'year', 'år'),
        ('period_type', 'rolling_12_months', 'rullande 12 månader'),
        ('period_type', 'point_in_time', 'tidpunkt'),
        ('period_type', 'quarter', 'kvartal'),
        ('period_type', 'tertial', 'tertial'),
        ('unit', 'mnkr', 'mnkr'),
        ('unit', 'percent', 'procent'),
        ('unit', 'count', 'antal'),
        ('unit', 'days', 'dagar'),
        ('unit', 'index', 'index'),
        ('breakdown', 'total', 'totalt'),
        ('goal_status', 'met', 'uppfyllt'),
        ('goal_status', 'partly_met', 'delvis uppfyllt'),
        ('goal_status', 'not_met', 'ej uppfyllt'),
        ('goal_status', 'no_assessment', 'ingen bedömning'),
        ('assignment_status', 'completed', 'avslutat'),
        ('assignment_status', 'in_progress', 'pågående'),
        ('assignment_status', 'not_started', 'ej påbörjat'),
        ('org_unit_level', 'region', 'region'),
        ('org_unit_level', 'county_total', 'länet totalt'),
        ('org_unit_level', 'council', 'fullmäktige'),
        ('org_unit_level', 'board', 'styrelse'),
        ('org_unit_level', 'committee', 'nämnd'),
        ('org_unit_level', 'administration', 'förvaltning'),
        ('org_unit_level', 'area', 'område'),
        ('org_unit_level', 'unit', 'enhet'),
        ('org_unit_level', 'unknown', 'okänd'),
        ('severity', 'error', 'fel'),
        ('severity', 'warn', 'varning')

)

select * from labels
