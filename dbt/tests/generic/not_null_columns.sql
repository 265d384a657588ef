{#- Rows where any of the listed columns is null, with null_columns naming which ones.
    One query per model instead of one not_null test per column (dbt's per-test overhead dominated
    the build). Usage at model level: data_tests: [{not_null_columns: {arguments: {columns: [a, b]}}}] -#}
{% test not_null_columns(model, columns) %}
{%- if columns is string -%}{%- set columns = [columns] -%}{%- endif -%}
{%- if not columns -%}
  {{ exceptions.raise_compiler_error("not_null_columns on " ~ model ~ ": list at least one column") }}
{%- endif %}
select
    concat_ws(', '
    {%- for column in columns %},
        case when {{ column }} is null then '{{ column }}' end
    {%- endfor %}
    ) as null_columns,
    *
from {{ model }}
where {% for column in columns %}{{ column }} is null{% if not loop.last %} or {% endif %}{% endfor %}
{% endtest %}
