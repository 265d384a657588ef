# One command from a fresh clone: `make warehouse`; the tests: `make test`.
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin

# pyproject.toml: requires-python >=3.11,<3.13. The first of python3.12, python3.11, python3 that
# runs one of these is used; PYTHON=... overrides.
SUPPORTED_PYTHONS := 3.11 3.12
PYTHON_VERSION_OF = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,python3.12 python3.11 python3,$(if $(filter $(SUPPORTED_PYTHONS),$(call PYTHON_VERSION_OF,$(p))),$(p))) python3)
endif
PYTHON_VERSION := $(call PYTHON_VERSION_OF,$(PYTHON))
# A venv made by another Python, or half made (no stamp: its install never finished), is rebuilt.
VENV_STALE := $(if $(filter $(PYTHON_VERSION),$(shell cat $(VENV)/.python-version 2>/dev/null)),,FORCE)

# One place for every path; the Python code and the dbt profile read the same variables.
export REPORTS_DIR ?= $(CURDIR)/seeds/reports
export WAREHOUSE_PATH ?= $(CURDIR)/warehouse.duckdb
export DUCKDB_PATH ?= $(CURDIR)/build/warehouse.build.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DBT_PROFILES_DIR := $(CURDIR)/dbt
# The venv's tools first: `dagster dev` re-parses the dbt project with whatever `dbt` is on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: setup python-check warehouse test ui publish rollback retire example report docs export bench score clean FORCE

python-check:
	@if [ -z "$(filter $(SUPPORTED_PYTHONS),$(PYTHON_VERSION))" ]; then \
		echo "error: this project needs Python 3.11 or 3.12 (pyproject.toml); $(PYTHON) is $(if $(PYTHON_VERSION),Python $(PYTHON_VERSION),not a Python that runs here)." >&2; \
		echo "       Install one, or point make at it: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; \
		exit 1; \
	fi

$(VENV)/.installed: pyproject.toml constraints.txt $(VENV_STALE) | python-check
	@if [ "$$(cat $(VENV)/.python-version 2>/dev/null)" != "$(PYTHON_VERSION)" ] && [ -e $(VENV) ]; then \
		echo "rebuilding $(VENV) with Python $(PYTHON_VERSION) (it was made by another Python, or its set-up did not finish)"; \
		rm -rf $(VENV); \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	echo $(PYTHON_VERSION) > $(VENV)/.python-version
	touch $@

FORCE:

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

dbt/target/manifest.json: $(VENV)/.installed $(wildcard dbt/*.yml dbt/models/*/*.sql dbt/models/*/*.yml dbt/macros/*.sql seeds/*.csv)
	cd dbt && $(BIN)/dbt parse --quiet

setup: python-check $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml dbt/target/manifest.json

## Refresh: extract new or changed reports (FULL_REFRESH=1: all), load, dbt build, checks, publish to $(WAREHOUSE_PATH).
warehouse: setup
	@mkdir -p $(dir $(DUCKDB_PATH))
	@$(BIN)/python -m dagster_project.cli refresh $(if $(FULL_REFRESH),--full-refresh)

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
retire: setup
	$(BIN)/python -m dagster_project.cli retire "$(DOC)"

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

clean:
	rm -rf build dbt/target dbt/logs .pytest_cache
