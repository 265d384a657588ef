-- Every rule instance of every rule model, passed or not: one row per (rule, the values it
-- compared), with the class of finding it would be (seeds/consistency_rule_classes.csv).
-- Rules are expressed once and applied to all documents; see each rule_* model.
with

instances as (

    {% for rule_model in [
        'rule_calculation_relations', 'rule_conflicting_values', 'rule_stated_counts', 'rule_breakdown_sums',
        'rule_percentage_point_changes', 'rule_share_distributions', 'rule_duplicated_rows',
        'rule_source_contradictions', 'rule_fact_validity'
    ] %}
    select {{ quality_instance_columns() }}, '{{ rule_model }}' as rule_model
    from {{ ref(rule_model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

rule_classes as (

    select * from {{ ref('consistency_rule_classes') }}

),

final as (

    select
        instances.*,
        rule_classes.finding_class,
        rule_classes.finding_class_sv
    from instances
    left join rule_classes on instances.rule = rule_classes.rule

)

select * from final
