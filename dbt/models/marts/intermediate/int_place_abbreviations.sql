-- The place abbreviations as one map (abbreviation -> place), one row: models join it to the rows
-- whose unit labels they expand (macro expand_place_abbreviations).
{{ config(materialized='ephemeral') }}

with

abbreviations as (

    select * from {{ ref('stg_place_abbreviations') }}

),

final as (

    select map(list(abbreviation order by abbreviation), list(place order by abbreviation)) as places
    from abbreviations

)

select * from final
