# One command from a fresh clone: `make warehouse`; the tests: `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin

# One place for every path; the Python code and the dbt profile read the same variables.
export REPORTS_DIR ?= $(CURDIR)/seeds/reports
export WAREHOUSE_PATH ?= $(CURDIR)/warehouse.duckdb
export DUCKDB_PATH ?= $(CURDIR)/build/warehouse.build.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DBT_PROFILES_DIR := $(CURDIR)/dbt
# The venv's tools first: `dagster dev` re-parses the dbt project with whatever `dbt` is on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: setup warehouse test ui publish rollback retire example report docs export bench score clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

dbt/target/manifest.json: $(VENV)/.installed $(wildcard dbt/*.yml dbt/models/*/*.sql dbt/models/*/*.yml dbt/macros/*.sql seeds/*.csv)
	cd dbt && $(BIN)/dbt parse --quiet

setup: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml dbt/target/manifest.json

## Refresh: extract new or changed reports (FULL_REFRESH=1: all), load, dbt build, checks, publish to $(WAREHOUSE_PATH).
warehouse: setup
	mkdir -p $(dir $(DUCKDB_PATH))
	$(BIN)/python -m dagster_project.cli refresh $(if $(FULL_REFRESH),--full-refresh)

## The whole test suite (unit, dbt, GX, end to end).
test: setup
	$(BIN)/pytest

## Dagster UI and daemon (schedules, inbox sensor) on the same definitions.
ui: setup
	$(BIN)/dagster dev -m dagster_project.definitions

publish: setup
	$(BIN)/python -m dagster_project.cli publish

rollback: setup
	$(BIN)/python -m dagster_project.cli rollback

## make retire DOC=file_name.txt
# The name is data: make never expands it into the recipe (backticks, quotes or $(...) in a file
# name would run or break the shell), and DOC itself is not exported (exporting expands it). The
# CLI reads the unexpanded text from RETIRE_DOC.
unexport DOC
retire: export RETIRE_DOC := $(value DOC)
retire: setup
	$(BIN)/python -m dagster_project.cli retire --from-env RETIRE_DOC

## Rebuild the small committed sample warehouse from the published one.
example: warehouse
	$(BIN)/python -m dagster_project.cli example warehouse.duckdb.example

## Score the published warehouse against the gold facts.
score: setup
	$(BIN)/python -m dagster_project.evaluation.score --warehouse $(WAREHOUSE_PATH) \
		--gold tests/fixtures/gold_dev.csv $(foreach f,$(wildcard tests/fixtures/gold_extra_*.csv),--gold $(f))

report: setup
	$(BIN)/python -m dagster_project.publish report

docs: setup
	$(BIN)/python -m dagster_project.publish docs

export: setup
	$(BIN)/python -m dagster_project.publish export

bench: setup
	$(BIN)/python -m bench.run

## Caches only. What the inbox cannot rebuild (documents kept after their file left the inbox, the
## history of replaced facts) lives in the published $(WAREHOUSE_PATH), and a refresh restores a
## missing build file from it.
clean:
	rm -rf build dbt/target dbt/logs .pytest_cache
