-- One row per extracted KPI value. Every dimension lookup falls back to the unknown member
-- ('-1'), so a fact is never dropped because a dimension lacks its key.
with

facts as (

    select * from {{ ref('stg_facts') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

kpis as (

    select * from {{ ref('dim_kpi') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

org_unit_labels as (

    select * from {{ ref('int_org_unit_labels') }}

),

place_abbreviations as (

    select * from {{ ref('int_place_abbreviations') }}

),

facts_in_context as (

    select
        facts.* replace (
            -- a change against an earlier period (a table's difference column, 'diff_vs_2021_12') is
            -- a comparison of the value, not a sub-group: it gets its own columns below
            case when facts.breakdown like 'diff\_vs\_%' escape '\' then 'total' else facts.breakdown end as breakdown
        ),
        facts.breakdown as breakdown_as_extracted,
        case when facts.breakdown like 'diff\_vs\_%' escape '\' then 'difference' end as comparison,
        case
            when regexp_matches(facts.breakdown, '^diff_vs_\d{4}_\d{2}$')
                then last_day(make_date(
                    cast(regexp_extract(facts.breakdown, '^diff_vs_(\d{4})_(\d{2})$', 1) as integer),
                    cast(regexp_extract(facts.breakdown, '^diff_vs_(\d{4})_(\d{2})$', 2) as integer),
                    1
                ))
        end as comparison_period_end,
        documents.document_id,
        coalesce(facts.region_code, documents.region_code) as resolved_region_code,
        {{ org_unit_label_key('facts.org_unit_label') }} as org_unit_label_key
    from facts
    cross join place_abbreviations
    left join documents
        on facts.document_name = documents.document_name
        and not documents.is_unknown_member

),

-- prefer a unit of the fact's own region, then a seeded unit over a discovered one
org_unit_matches as (

    {{ org_unit_match('facts_in_context', 'fact_id', 'resolved_region_code') }}

),

final as (

    select
        ---------- keys
        facts_in_context.fact_id as kpi_observation_id,
        coalesce(facts_in_context.document_id, '{{ var("unknown_key") }}') as document_id,
        coalesce(kpis.kpi_code, '{{ var("unknown_key") }}') as kpi_code,
        coalesce(org_unit_matches.org_unit_code, '{{ var("unknown_key") }}') as org_unit_code,
        coalesce(periods.period_key, '{{ var("unknown_key") }}') as period_key,

        ---------- the observation as extracted
        facts_in_context.document_name,
        facts_in_context.kpi_code as extracted_kpi_code,
        facts_in_context.org_unit_label,
        facts_in_context.resolved_region_code as region_code,
        facts_in_context.period_start,
        facts_in_context.period_end,
        facts_in_context.period_type,
        facts_in_context.scenario,
        facts_in_context.breakdown,
        facts_in_context.comparison,
        facts_in_context.comparison_period_end,
        facts_in_context.value,
        facts_in_context.unit,
        facts_in_context.is_approximate,
        facts_in_context.value_low,
        facts_in_context.value_high,
        facts_in_context.measure,
        facts_in_context.binding,
        facts_in_context.period_source,

        ---------- provenance
        facts_in_context.source_line,
        facts_in_context.source_page,
        facts_in_context.source_text,
        facts_in_context.extraction_method,
        facts_in_context.document_sha256,
        facts_in_context.breakdown_as_extracted,

        ---------- the series the value belongs to (marts.kpi_series): one KPI, organisation, period,
        ---------- breakdown and comparison; a target is a series of its own, an outcome (actual or
        ---------- forecast) another
        {{ surrogate_key([
            'facts_in_context.kpi_code',
            "coalesce(facts_in_context.measure, '')",
            "coalesce(org_unit_matches.org_unit_code, 'label:' || lower(facts_in_context.org_unit_label))",
            'facts_in_context.period_start',
            'facts_in_context.period_end',
            "case when facts_in_context.scenario = 'target' then 'target' else 'outcome' end",
            'facts_in_context.breakdown',
            'facts_in_context.comparison',
            'facts_in_context.comparison_period_end',
            'facts_in_context.unit',
        ]) }} as kpi_series_id

    from facts_in_context
    left join kpis
        on facts_in_context.kpi_code = kpis.kpi_code
        and not kpis.is_unknown_member
    left join periods
        on facts_in_context.period_start = periods.period_start
        and facts_in_context.period_end = periods.period_end
        and facts_in_context.period_type = periods.period_type
    left join org_unit_matches
        on facts_in_context.fact_id = org_unit_matches.fact_id

)

select * from final
