-- Every rule instance of every rule model, passed or not: one row per (rule, the values it
-- compared). Rules are expressed once and applied to all documents; see each rule_* model.
with

instances as (

    {% for rule_model in [
        'rule_table_totals', 'rule_unit_sum_of_areas', 'rule_revenue_cost_totals',
        'rule_conflicting_values', 'rule_stated_goal_counts', 'rule_breakdown_sums',
        'rule_percentage_point_changes', 'rule_share_distributions', 'rule_duplicated_rows',
        'rule_source_contradictions', 'rule_fact_validity'
    ] %}
    select {{ quality_instance_columns() }}, '{{ rule_model }}' as rule_model
    from {{ ref(rule_model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from instances

)

select * from final
