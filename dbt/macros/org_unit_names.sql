{#- The same name matching as dagster_project/extraction (normalise.fold, org_units.expand_abbreviations),
    so SQL and Python agree on which labels name one unit. -#}

{#- Lower case, hyphens and punctuation as single spaces. -#}
{% macro fold_name(expression) -%}
    trim(regexp_replace(
        regexp_replace(lower(nfc_normalize({{ expression }})), '[-–—/.,:;()*"”''’]+', ' ', 'g'),
        '\s+', ' ', 'g'
    ))
{%- endmacro %}

{#- Place abbreviations spelled out word by word ('Ortopedi Ske' -> 'Ortopedi Skellefteå'), never
    inside a word: a letter on either side blocks the match. -#}
{% macro expand_place_abbreviations(expression) -%}
    {%- set ns = namespace(sql=expression) -%}
    {%- for abbreviation, place in var('place_abbreviations').items() -%}
        {%- set ns.sql = "regexp_replace(" ~ ns.sql ~ ", '(^|[^\\pL\\d_])(?i:" ~ abbreviation ~ ")([^\\pL\\d_]|$)', '\\1" ~ place ~ "\\2', 'g')" -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}

{#- The matching key of a unit label: abbreviations expanded, then folded. -#}
{% macro org_unit_label_key(expression) -%}
    {{ fold_name(expand_place_abbreviations(expression)) }}
{%- endmacro %}


{#- The name a fact's unit is shown by: the unit's name, or the former name the report used
    ('Landstinget Dalarna' in 2011), or the label as extracted for a unit the dimension lacks. -#}
{% macro org_unit_display_name(label, org_units) -%}
    case
        when coalesce({{ org_units }}.is_unknown_member, true) then {{ label }}
        when {{ org_units }}.former_name is not null
            and {{ org_unit_label_key(label) }} = {{ org_unit_label_key(org_units ~ '.former_name') }}
            then {{ org_units }}.former_name
        else {{ org_units }}.org_unit_name
    end
{%- endmacro %}
