{#- Schemas are exactly the configured names (raw, staging, intermediate, marts): BI tools and the Python side
    address them by name, so dbt's default <target>_<custom> prefixing is switched off. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
