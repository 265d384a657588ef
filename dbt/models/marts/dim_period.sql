with

facts as (

    select * from {{ ref('stg_facts') }}

),

periods as (

    select distinct
        period_start,
        period_end,
        period_type
    from facts
    where period_start is not null
        and period_end is not null
        and period_type is not null

),

labelled as (

    select
        {{ surrogate_key(['period_start', 'period_end', 'period_type']) }} as period_key,
        period_start,
        period_end,
        period_type,
        year(period_end) as year,
        month(period_end) as month,
        case
            when period_type = 'year' and period_start = make_date(year(period_end), 1, 1)
                then strftime(period_end, '%Y')
            when period_type = 'month'
                then strftime(period_end, '%Y-%m')
            when period_start = period_end
                then strftime(period_end, '%Y-%m-%d')
            else strftime(period_start, '%Y-%m-%d') || ' – ' || strftime(period_end, '%Y-%m-%d')
        end || ' (' || replace(period_type, '_', ' ') || ')' as label,
        false as is_unknown_member
    from periods

),

unknown_member as (

    select
        '{{ var("unknown_key") }}' as period_key,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        'unknown' as period_type,
        cast(null as bigint) as year,
        cast(null as bigint) as month,
        '(unknown period)' as label,
        true as is_unknown_member

),

final as (

    select * from labelled
    union all
    select * from unknown_member

)

select * from final
