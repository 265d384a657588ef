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
