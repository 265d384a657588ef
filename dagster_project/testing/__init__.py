"""Fixtures for the tests and for developers, never used by a refresh.

- raw_fixture: a small realistic raw schema for the dbt project (python -m dagster_project.testing.raw_fixture PATH)
- quality_records, quality_fixture: raw rows that make every reconciliation rule pass once and fail once
- dbt_build: a raw fixture built through dbt in a scratch folder
"""
