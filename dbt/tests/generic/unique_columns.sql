{#- Combinations of the listed columns that occur more than once (a stand-in for
    dbt_utils.unique_combination_of_columns): the key of a model whose grain is several columns. -#}
{% test unique_columns(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
