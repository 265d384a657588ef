{#- Views store the SQL they were created with. DuckDB names the database after the file, and
    publish.py renames the build file (warehouse.build.duckdb -> warehouse.duckdb), so a view body
    that said "warehouse.build".raw.facts would break in the published file. ref() and source()
    therefore render schema.table only; the DDL itself may still name the database. -#}
{% macro ref() -%}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {%- if relation is not none and relation.include is defined -%}
        {%- do return(relation.include(database=false)) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{% macro source(source_name, table_name) -%}
    {%- do return(builtins.source(source_name, table_name).include(database=false)) -%}
{%- endmacro %}
