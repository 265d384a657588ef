with

source as (

    select * from {{ ref('place_abbreviations') }}

),

renamed as (

    select
        ---------- ids
        -- matched in any case: kept in lower case
        lower(trim(abbreviation)) as abbreviation,

        ---------- text
        trim(place) as place

    from source

)

select * from renamed
