-- One preferred value per KPI, organisation, period, breakdown and comparison across every
-- report: the answer to "what was X for Y in period Z". A target is a series of its own; an
-- outcome series holds the actual when one is stated and the forecast otherwise.
--
-- Which statement wins, in this order:
--   1. actual over forecast;
--   2. the latest report (the report period's end; a later report restates and corrects);
--   3. the more precise statement (the narrower value_low..value_high interval);
--   4. same report and precision: the first stated (document, then line).
-- A later report's rounded statement ('drygt 1,7 miljarder') does not displace an earlier exact
-- one it agrees with (1 721): the exact value lies inside the rounded interval, so it is kept.
-- Every other statement stays reachable: kpi_observation_ids, and kpi_series_id on each row of
-- marts.kpi_observations.
with

observations as (

    select * from {{ ref('fct_kpi_observation') }}

),

documents as (

    select * from {{ ref('dim_document') }}

),

kpis as (

    select * from {{ ref('dim_kpi') }}

),

org_units as (

    select * from {{ ref('dim_org_unit') }}

),

place_abbreviations as (

    select * from {{ ref('int_place_abbreviations') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

statements as (

    select
        observations.*,
        documents.period_end as report_period_end,
        case when observations.scenario = 'forecast' then 1 else 0 end as scenario_rank,
        coalesce(observations.value_high - observations.value_low, 0) as interval_width
    from observations
    left join documents
        on observations.document_id = documents.document_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by kpi_series_id
            order by
                scenario_rank,
                report_period_end desc nulls last,
                interval_width,
                document_name,
                source_line,
                kpi_observation_id
        ) as statement_rank
    from statements

),

leaders as (

    select * from ranked where statement_rank = 1

),

runners_up as (

    select * from ranked where statement_rank = 2

),

-- a narrower statement of the same scenario whose value the leader's interval contains
more_precise as (

    select
        ranked.kpi_series_id,
        ranked.kpi_observation_id
    from ranked
    inner join leaders
        on ranked.kpi_series_id = leaders.kpi_series_id
    where ranked.statement_rank > 1
        and ranked.scenario_rank = leaders.scenario_rank
        and ranked.interval_width < leaders.interval_width
        and ranked.value between leaders.value_low and leaders.value_high
    qualify row_number() over (
        partition by ranked.kpi_series_id
        order by ranked.interval_width, ranked.statement_rank
    ) = 1

),

choices as (

    select
        leaders.kpi_series_id,
        coalesce(more_precise.kpi_observation_id, leaders.kpi_observation_id) as kpi_observation_id,
        case
            when more_precise.kpi_observation_id is not null then 'more_precise'
            when runners_up.kpi_observation_id is null then 'only_statement'
            when leaders.scenario_rank < runners_up.scenario_rank then 'actual_over_forecast'
            when leaders.report_period_end > runners_up.report_period_end then 'latest_report'
            when leaders.interval_width < runners_up.interval_width then 'more_precise'
            else 'first_stated'
        end as chosen_by
    from leaders
    left join runners_up
        on leaders.kpi_series_id = runners_up.kpi_series_id
    left join more_precise
        on leaders.kpi_series_id = more_precise.kpi_series_id

),

chosen as (

    select
        ranked.*,
        choices.chosen_by
    from choices
    inner join ranked
        on choices.kpi_observation_id = ranked.kpi_observation_id

),

series_statements as (

    select
        ranked.kpi_series_id,
        count(*) as statement_count,
        count(distinct ranked.document_name) as document_count,
        min(ranked.value) as min_value,
        max(ranked.value) as max_value,
        -- every statement, at its stated precision, admits the chosen value
        bool_and(chosen.value between ranked.value_low - 1e-9 and ranked.value_high + 1e-9) as is_consistent,
        list(ranked.kpi_observation_id order by ranked.statement_rank) as kpi_observation_ids,
        list(distinct ranked.document_name order by ranked.document_name) as documents
    from ranked
    inner join chosen
        on ranked.kpi_series_id = chosen.kpi_series_id
    group by ranked.kpi_series_id

),

final as (

    select
        ---------- the series and its preferred value
        chosen.kpi_series_id,
        chosen.extracted_kpi_code as kpi_code,
        chosen.measure,
        kpis.kpi_name_sv,
        chosen.org_unit_code,
        {{ org_unit_display_name('chosen.org_unit_label', 'org_units') }} as org_unit_name,
        org_units.level as org_unit_level,
        chosen.region_code,
        org_units.region_name,
        chosen.period_start,
        chosen.period_end,
        chosen.period_type,
        chosen.scenario,
        chosen.breakdown,
        chosen.comparison,
        chosen.comparison_period_end,
        chosen.value,
        chosen.unit,
        chosen.value_low,
        chosen.value_high,
        chosen.is_approximate,

        ---------- where it stands
        chosen.document_name as document,
        chosen.source_line,
        chosen.source_page,
        chosen.source_text,
        chosen.kpi_observation_id,

        ---------- how it was chosen, and what it stands for
        chosen.chosen_by,
        series_statements.statement_count,
        series_statements.document_count,
        series_statements.is_consistent,
        series_statements.min_value,
        series_statements.max_value,
        series_statements.kpi_observation_ids,
        series_statements.documents,

        ---------- keys and catalogue
        chosen.document_id,
        chosen.period_key,
        periods.label as period_label,
        kpis.kpi_name_en,
        kpis.category as kpi_category,
        kpis.value_kind

    from chosen
    inner join series_statements
        on chosen.kpi_series_id = series_statements.kpi_series_id
    left join kpis on chosen.kpi_code = kpis.kpi_code
    cross join place_abbreviations
    left join org_units on chosen.org_unit_code = org_units.org_unit_code
    left join periods on chosen.period_key = periods.period_key

)

select * from final
