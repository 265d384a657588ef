-- Every label that names a unit in dim_org_unit (its name and aliases), as a matching key.
-- Facts and goals find their org_unit_code through this, with the same folding that built the dim.
{{ config(materialized='ephemeral') }}

with

org_units as (

    select * from {{ ref('dim_org_unit') }}

),

place_abbreviations as (

    select * from {{ ref('int_place_abbreviations') }}

),

labels as (

    select
        org_unit_code,
        region_code,
        is_from_seed,
        unnest(list_prepend(org_unit_name, list_concat(aliases, case when former_name is null then [] else [former_name] end))) as label
    from org_units
    where not is_unknown_member

),

final as (

    select distinct
        org_unit_code,
        region_code,
        is_from_seed,
        {{ org_unit_label_key('label') }} as label_key
    from labels
    cross join place_abbreviations

)

select * from final
