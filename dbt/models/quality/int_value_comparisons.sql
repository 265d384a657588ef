-- Every statement of a measure compared with the preferred statement of the same measure,
-- organisation, period, scenario and breakdown in the same document (a report contradicting
-- itself; another report may restate a figure). Measure is the lexicon measure the number was
-- bound to (finer than the KPI code: the result before and after financial items share a KPI).
--
-- A statement may accuse (doubt_reason null) only when the extraction read it firmly:
--   carried_binding         its measure was carried over from an earlier clause or heading;
--   hedge_without_interval  hedged ('drygt', 'cirka') with no interval to say how far it may stray;
--   defaulted_period        its period is only the document's: the text did not say it, and a
--                           sentence read without its period may be about another one (a
--                           paragraph on last year's figures), so it never accuses;
--   same_sentence           one sentence giving the measure two values is a misreading of that
--                           sentence, not the report contradicting itself.
-- The preferred statement is the most precise firm one (narrowest interval, exact before
-- hedged, then the first): the XBRL rule for duplicate facts. Intervals are compared, not values:
-- 930 covers 929,5..930,5 and 'drygt 900' 900..990, so they agree. Two rounding intervals that
-- only touch do not overlap (199 and 198 cannot both be one value rounded), hence the tolerance
-- a hair below the sum of the reaches when both statements have an interval.
{{ config(materialized='view', schema='intermediate') }}

{%- set group_keys = ['document', 'kpi_code', 'measure', 'org_unit_key', 'period_start', 'period_end', 'scenario', 'breakdown'] -%}

with

observations as (

    select * from {{ ref('int_quality_observations') }}
    where value is not null
        and measure is not null

),

statements as (

    select
        *,
        value_high - value_low as interval_width,
        count(*) over (partition by {{ group_keys | join(', ') }}) as statement_count,
        min(value) over (partition by {{ group_keys | join(', ') }}, source_line, source_text)
            <> max(value) over (partition by {{ group_keys | join(', ') }}, source_line, source_text) as sentence_disagrees
    from observations

),

judged as (

    select
        *,
        case
            when not is_direct then 'carried_binding'
            when is_approximate and interval_width = 0 then 'hedge_without_interval'
            when is_period_defaulted then 'defaulted_period'
            when sentence_disagrees then 'same_sentence'
        end as doubt_reason
    from statements
    where statement_count > 1

),

preferred as (

    select * from judged
    qualify row_number() over (
        partition by {{ group_keys | join(', ') }}
        order by doubt_reason is not null, interval_width, is_approximate, source_line, kpi_observation_id
    ) = 1

),

compared as (

    select
        judged.*,
        preferred.kpi_observation_id as preferred_id,
        preferred.value as preferred_value,
        preferred.value_low as preferred_low,
        preferred.value_high as preferred_high,
        preferred.interval_width as preferred_width,
        preferred.source_line as preferred_line,
        preferred.source_text as preferred_text,
        preferred.doubt_reason as preferred_doubt,
        judged.value - preferred.value as difference,
        greatest(
            case
                when judged.value >= preferred.value
                    then (preferred.value_high - preferred.value) + (judged.value - judged.value_low)
                else (preferred.value - preferred.value_low) + (judged.value_high - judged.value)
            end
            - case when judged.interval_width > 0 and preferred.interval_width > 0 then 1e-6 else 0 end,
            0
        ) as tolerance
    from judged
    inner join preferred
        on {% for key in group_keys %}judged.{{ key }} is not distinct from preferred.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}  -- noqa: LT05 (long once rendered)
        and judged.kpi_observation_id <> preferred.kpi_observation_id

),

final as (

    select
        *,
        {{ quality_passed('difference', 'tolerance') }} as agrees
    from compared

)

select * from final
