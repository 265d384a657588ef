{#- The same name matching as dagster_project/extraction (normalise.fold, org_units.expand_abbreviations),
    from the same seed, so SQL and Python agree on which labels name one unit. -#}

{#- Lower case, hyphens and punctuation as single spaces. -#}
{% macro fold_name(expression) -%}
    trim(regexp_replace(
        regexp_replace(lower(nfc_normalize({{ expression }})), '[-–—/.,:;()*"”''’]+', ' ', 'g'),
        '\s+', ' ', 'g'
    ))
{%- endmacro %}

{#- Place abbreviations spelled out word by word ('Ortopedi Ske' -> 'Ortopedi Skellefteå'), never
    inside a word: the label is cut into runs of word characters and runs of others, and a word run
    that is an abbreviation (any case) becomes its place. `places` is the map column of
    int_place_abbreviations (seeds/place_abbreviations.csv), joined to the rows it expands. -#}
{% macro expand_place_abbreviations(expression, places='place_abbreviations.places') -%}
    array_to_string(list_transform(
        regexp_extract_all({{ expression }}, '[\pL\d_]+|[^\pL\d_]+'),
        word -> coalesce({{ places }}[lower(word)], word)
    ), '')
{%- endmacro %}

{#- The matching key of a unit label: abbreviations expanded, then folded. -#}
{% macro org_unit_label_key(expression, places='place_abbreviations.places') -%}
    {{ fold_name(expand_place_abbreviations(expression, places)) }}
{%- endmacro %}


{#- The name a fact's unit is shown by: the unit's name, or the former name the report used
    ('Landstinget Dalarna' in 2011), or the label as extracted for a unit the dimension lacks. -#}
{% macro org_unit_display_name(label, org_units, places='place_abbreviations.places') -%}
    case
        when coalesce({{ org_units }}.is_unknown_member, true) then {{ label }}
        when {{ org_units }}.former_name is not null
            and {{ org_unit_label_key(label, places) }} = {{ org_unit_label_key(org_units ~ '.former_name', places) }}
            then {{ org_units }}.former_name
        else {{ org_units }}.org_unit_name
    end
{%- endmacro %}


{#- The unit a row's label names: the labels of int_org_unit_labels (imported as org_unit_labels)
    with the row's label key, in the row's region or in none; the row's own region first, then a
    seeded unit, then the lowest code. One row per `row_id`; rows whose label names no unit have none. -#}
{% macro org_unit_match(rows, row_id, region_code) -%}
    select
        {{ rows }}.{{ row_id }},
        org_unit_labels.org_unit_code
    from {{ rows }}
    inner join org_unit_labels
        on {{ rows }}.org_unit_label_key = org_unit_labels.label_key
        and (
            org_unit_labels.region_code = {{ rows }}.{{ region_code }}
            or {{ rows }}.{{ region_code }} is null
            or org_unit_labels.region_code is null
        )
    qualify row_number() over (
        partition by {{ rows }}.{{ row_id }}
        order by
            (org_unit_labels.region_code = {{ rows }}.{{ region_code }}) desc nulls last,
            org_unit_labels.is_from_seed desc,
            org_unit_labels.org_unit_code
    ) = 1
{%- endmacro %}
