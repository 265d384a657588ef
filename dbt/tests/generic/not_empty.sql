{#- Fails when the model has no rows at all (an empty load should not pass silently). -#}
{% test not_empty(model) %}
select 1 as no_rows
where not exists (select 1 from {{ model }})
{% endtest %}
