-- Org units: the seed's hierarchy (region -> council/board/committee -> area -> unit) plus every
-- unit a fact or goal names that the seed lacks, so no fact is left without a unit.
with recursive

seeded_units as (

    select * from {{ ref('stg_org_units') }}

),

facts as (

    select * from {{ ref('stg_facts') }}

),

goal_assessments as (

    select * from {{ ref('stg_goal_assessments') }}

),

documents as (

    select * from {{ ref('stg_documents') }}

),

place_abbreviations as (

    select * from {{ ref('int_place_abbreviations') }}

),

-- A region-wide value is one unit whatever the report calls it: the seed's county totals
-- ('TOTALT VÄSTERBOTTEN', 'MEDEL Vb') are names of their region, not a level of their own.
county_total_names as (

    select
        region_code,
        list_distinct(flatten(list(list_prepend(org_unit_name, aliases)))) as names
    from seeded_units
    where level = 'county_total'
    group by region_code

),

org_units as (

    select
        seeded_units.* replace (
            case
                when seeded_units.level = 'region'
                    then list_concat(seeded_units.aliases, coalesce(county_total_names.names, []))
                else seeded_units.aliases
            end as aliases
        )
    from seeded_units
    left join county_total_names
        on seeded_units.region_code = county_total_names.region_code
    where seeded_units.level <> 'county_total'

),

-- a report of a region the seed does not list still gets its region as the root unit
document_regions as (

    select
        region_code,
        min(region_name) as region_name
    from documents
    where region_code is not null
        and region_name is not null
        and region_code not in (select region_code from org_units where level = 'region')
    group by region_code

),

-- every spelling a seed unit (or a document's region) is known by, as a matching key
seed_label_keys as (

    select distinct
        org_unit_code,
        region_code,
        {{ org_unit_label_key('label') }} as label_key
    from (
        select
            org_unit_code,
            region_code,
            unnest(list_prepend(org_unit_name, aliases)) as label
        from org_units

        union all

        -- the name a region had as a county council ('Landstinget Dalarna') is still its name
        select
            org_unit_code,
            region_code,
            former_name as label
        from org_units
        where former_name is not null

        union all

        select
            region_code as org_unit_code,
            region_code,
            region_name as label
        from document_regions
    ) as labels
    cross join place_abbreviations

),

-- a unit named without a region (goals carry none) belongs to its document's region; a unit a
-- municipality's report names belongs to that municipality
mentions as (

    select
        coalesce(facts.region_code, documents.region_code) as region_code,
        documents.organisation_code as document_organisation_code,
        facts.org_unit_label as label
    from facts
    left join documents on facts.document_name = documents.document_name

    union

    select
        documents.region_code,
        documents.organisation_code as document_organisation_code,
        goal_assessments.org_unit_label as label
    from goal_assessments
    left join documents on goal_assessments.document_name = documents.document_name

),

mention_keys as (

    select
        region_code,
        document_organisation_code,
        label,
        {{ expand_place_abbreviations('label') }} as expanded_label,
        {{ org_unit_label_key('label') }} as label_key
    from mentions
    cross join place_abbreviations
    where label is not null

),

unseeded_mentions as (

    select mention_keys.*
    from mention_keys
    where not exists (
        select 1
        from seed_label_keys
        where seed_label_keys.label_key = mention_keys.label_key
            and (
                seed_label_keys.region_code = mention_keys.region_code
                or mention_keys.region_code is null
            )
    )

),

-- one unit per (region, key): 'Ortopedi Ske' and 'Ortopedi Skellefteå' fold to the same key
discovered_units as (

    select
        coalesce(region_code, 'XX') || '-' || left(md5(label_key), 8) as org_unit_code,
        -- the spelled-out form is the canonical name; min() makes the pick deterministic
        min(expanded_label) as org_unit_name,
        -- under the municipality whose report names it, else under its region
        coalesce(
            min(document_organisation_code) filter (
                where document_organisation_code in (select org_unit_code from org_units where level = 'municipality')
            ),
            region_code
        ) as parent_code,
        'unit' as level,
        region_code,
        list_sort(list_distinct(list(label))) as observed_labels,
        false as is_from_seed
    from unseeded_mentions
    group by region_code, label_key

),

units as (

    select
        org_unit_code,
        org_unit_name,
        parent_code,
        level,
        region_code,
        aliases,
        former_name,
        former_name_until,
        kolada_id,
        true as is_from_seed
    from org_units

    union all

    select
        region_code as org_unit_code,
        region_name as org_unit_name,
        cast(null as varchar) as parent_code,
        'region' as level,
        region_code,
        cast([] as varchar[]) as aliases,
        cast(null as varchar) as former_name,
        cast(null as date) as former_name_until,
        '00' || region_code as kolada_id,
        false as is_from_seed
    from document_regions

    union all

    select
        org_unit_code,
        org_unit_name,
        parent_code,
        level,
        region_code,
        list_filter(observed_labels, observed -> observed <> org_unit_name) as aliases,
        cast(null as varchar) as former_name,
        cast(null as date) as former_name_until,
        cast(null as varchar) as kolada_id,
        is_from_seed
    from discovered_units

),

hierarchy as (

    select
        org_unit_code,
        org_unit_name as hierarchy_path,
        1 as hierarchy_depth
    from units
    where parent_code is null

    union all

    select
        units.org_unit_code,
        hierarchy.hierarchy_path || ' > ' || units.org_unit_name,
        hierarchy.hierarchy_depth + 1
    from units
    inner join hierarchy on units.parent_code = hierarchy.org_unit_code
    -- guards against a cycle in the seed
    where hierarchy.hierarchy_depth < 10

),

regions as (

    select
        region_code,
        org_unit_name as region_name
    from units
    where level = 'region'

),

unknown_member as (

    select
        '{{ var("unknown_key") }}' as org_unit_code,
        'Okänd enhet' as org_unit_name,
        cast(null as varchar) as parent_code,
        'unknown' as level,
        cast(null as varchar) as region_code,
        cast(null as varchar) as region_name,
        cast(null as varchar) as kolada_region_id,
        cast([] as varchar[]) as aliases,
        '' as aliases_text,
        cast(null as varchar) as former_name,
        cast(null as date) as former_name_until,
        cast(null as varchar) as kolada_id,
        'Okänd enhet' as hierarchy_path,
        1 as hierarchy_depth,
        false as is_from_seed,
        true as is_unknown_member

),

final as (

    select
        units.org_unit_code,
        units.org_unit_name,
        units.parent_code,
        units.level,
        units.region_code,
        regions.region_name,
        case when units.level = 'region' then '00' || units.region_code end as kolada_region_id,
        units.aliases,
        array_to_string(units.aliases, '|') as aliases_text,
        units.former_name,
        units.former_name_until,
        units.kolada_id,
        hierarchy.hierarchy_path,
        hierarchy.hierarchy_depth,
        units.is_from_seed,
        false as is_unknown_member
    from units
    left join regions on units.region_code = regions.region_code
    left join hierarchy on units.org_unit_code = hierarchy.org_unit_code

    union all

    select * from unknown_member

)

select * from final
