# One command from a fresh clone: `make warehouse`; the tests: `make test-fast` on every change, `make test` (CI).
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

# Paths the targets below pass on (the same defaults as dagster_project/warehouse/settings.py). The
# build file, DUCKDB_PATH, is named only there: the code, and dbt through it, read it from settings.
export REPORTS_DIR ?= $(CURDIR)/seeds/reports
export WAREHOUSE_PATH ?= $(CURDIR)/warehouse.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DBT_PROFILES_DIR := $(CURDIR)/dbt
# The venv's tools first: `dagster dev` re-parses the dbt project with whatever `dbt` is on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: setup python-check warehouse test test-fast lint format ui publish rollback retire example report docs export bench score score-wider audit clean FORCE

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
	$(BIN)/python -m dagster_project.dbt_cli parse

setup: python-check $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml dbt/target/manifest.json

## Refresh: extract new or changed reports (FULL_REFRESH=1: all), load, dbt build, checks, publish to $(WAREHOUSE_PATH).
warehouse: setup
	@$(BIN)/python -m dagster_project.cli refresh $(if $(FULL_REFRESH),--full-refresh)

## The whole test suite (unit, dbt, GX, end to end): what CI runs.
test: setup
	$(BIN)/pytest

## Unit tests only (no dbt build, Dagster run, make or browser): under a minute, for every change.
test-fast: setup
	$(BIN)/pytest -m "not slow"

# What the linters read; tests/ and bench/ are Python too.
PY_SOURCES := dagster_project tests bench

## Lint: ruff (rules and format) on the Python, sqlfluff on the dbt models. sqlfluff parses the dbt
## project for its lint target in a target folder of its own: in dbt/target its parse would replace
## the one refreshes reuse (dbt's partial parsing), and every refresh would parse from scratch.
lint: setup
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	DBT_TARGET_PATH=target/sqlfluff $(BIN)/sqlfluff lint dbt/models

## Fix what the linters can: ruff's safe fixes and format, sqlfluff fix.
format: setup
	$(BIN)/ruff check --fix $(PY_SOURCES)
	$(BIN)/ruff format $(PY_SOURCES)
	DBT_TARGET_PATH=target/sqlfluff $(BIN)/sqlfluff fix dbt/models

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

# Reports of other organisations, labelled, for measuring what the rules were not written against.
# Evaluation data: read where it lies (../shared), never copied into the project.
WIDER_DIR ?= $(abspath $(CURDIR)/../shared/corpus_wider)
WIDER_BUILD := $(CURDIR)/build/wider

## Score the published warehouse against the gold facts, and the other organisations' reports when present.
score: setup
	$(BIN)/python -m dagster_project.evaluation.score --warehouse $(WAREHOUSE_PATH) \
		--gold tests/fixtures/gold_dev.csv $(foreach f,$(wildcard tests/fixtures/gold_extra_*.csv),--gold $(f))
	@if [ -f "$(WIDER_DIR)/facts.csv" ]; then $(MAKE) --no-print-directory score-wider; \
		else echo "($(WIDER_DIR) not found: other organisations' reports not scored)"; fi

## Refresh a warehouse of ../shared/corpus_wider (under build/wider) and score it against its labels.
score-wider: setup
	mkdir -p $(WIDER_BUILD)/dagster_home && cp dagster.yaml $(WIDER_BUILD)/dagster_home/dagster.yaml
	REPORTS_DIR=$(WIDER_DIR)/docs WAREHOUSE_PATH=$(WIDER_BUILD)/warehouse.duckdb DUCKDB_PATH=$(WIDER_BUILD)/build.duckdb \
		DAGSTER_HOME=$(WIDER_BUILD)/dagster_home $(BIN)/python -m dagster_project.cli refresh > $(WIDER_BUILD)/refresh.log 2>&1 \
		|| (tail -20 $(WIDER_BUILD)/refresh.log; exit 1)
	$(BIN)/python -m dagster_project.evaluation.score --warehouse $(WIDER_BUILD)/warehouse.duckdb --gold $(WIDER_DIR)/facts.csv

## A random sample of rows (every kind) and every finding, with their source lines, for a reviewer.
audit: setup
	$(BIN)/python -m dagster_project.evaluation.audit --warehouse $(WAREHOUSE_PATH) --reports-dir $(REPORTS_DIR) \
		--out build/audit --name bundled
	@if [ -f "$(WIDER_BUILD)/warehouse.duckdb" ]; then $(BIN)/python -m dagster_project.evaluation.audit \
		--warehouse $(WIDER_BUILD)/warehouse.duckdb --reports-dir $(WIDER_DIR)/docs --out build/audit --name wider; fi

report: setup
	$(BIN)/python -m dagster_project.report report

docs: setup
	$(BIN)/python -m dagster_project.report docs

export: setup
	$(BIN)/python -m dagster_project.report export

bench: setup
	$(BIN)/python -m bench.run

## Caches only. What the inbox cannot rebuild (documents kept after their file left the inbox, the
## history of replaced facts) lives in the Parquet raw layer (RAW_DATA_PATH, default warehouse_raw/), which clean keeps;
## the next refresh rebuilds build/ from it.
clean:
	rm -rf build dbt/target dbt/logs .pytest_cache
