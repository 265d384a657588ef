with

source as (

    select * from {{ ref('org_units') }}

),

renamed as (

    select
        ---------- ids
        org_unit_code,
        nullif(trim(parent_code), '') as parent_code,

        ---------- text
        org_unit_name,
        level,
        region_code,
        nullif(trim(former_name), '') as former_name,
        cast(former_name_until as date) as former_name_until,
        nullif(trim(kolada_id), '') as kolada_id,
        -- the seed keeps aliases pipe-separated; a list is what the marts match against
        list_filter(
            string_split(coalesce(aliases, ''), '|'),
            alias -> trim(alias) <> ''
        ) as aliases

    from source

)

select * from renamed
