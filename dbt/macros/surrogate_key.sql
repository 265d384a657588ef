{#- md5 over the columns, nulls kept distinct from empty strings (like dbt_utils'
    generate_surrogate_key, which cannot be installed here). -#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('|'
    {%- for column in columns %},
        coalesce(cast({{ column }} as varchar), '_null_')
    {%- endfor %}
    ))
{%- endmacro %}
