{#- Rows where the expression does not hold (a stand-in for dbt_utils.expression_is_true). -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
{% if column_name is none %}
where not coalesce({{ expression }}, false)
{% else %}
where not coalesce({{ column_name }} {{ expression }}, false)
{% endif %}
{% endtest %}
