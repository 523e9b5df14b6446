# Diversion: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := diversion.settings

.PHONY: help install assets migrate demo run worker serve lint typecheck migrations-check test test-fast test-browser clean bench-install

help: ## List every target
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml package.json package-lock.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock requirements-dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	npm ci --no-audit --no-fund --silent
	@touch $(STAMP)

install: $(STAMP) assets ## Create the virtual environment and install the locked dependencies and front-end assets

assets: $(STAMP) ## Copy GOV.UK Frontend and MoJ Frontend from node_modules into our static files
	$(BIN)/python -m diversion.core.assets

migrate: install ## Apply database migrations (loads the reference data)
	@mkdir -p var/static
	$(BIN)/diversion migrate --no-input

demo: migrate ## Load the demo data (schemes, accounts, rotas); skipped if already loaded
	$(BIN)/diversion demo_data

run: demo ## Run the product with demo data on SQLite: web server and background worker on http://$(HOST):$(PORT)
	DEMO_MODE=1 DEBUG=$${DEBUG:-0} $(BIN)/diversion run --host $(HOST) --port $(PORT)

lint: install ## ruff lint and format check, and the import contracts (.importlinter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install ## mypy with django-stubs
	$(BIN)/mypy

migrations-check: install ## Fail if a model change has no migration
	@mkdir -p var/static
	DIVERSION_ENV=test $(BIN)/diversion makemigrations --check --dry-run

test: lint typecheck migrations-check ## Lint, type-check, check migrations, then run the whole test suite
	DIVERSION_ENV=test $(BIN)/pytest

test-fast: install ## Run the test suite without the browser tests
	DIVERSION_ENV=test $(BIN)/pytest -m "not browser"

test-browser: install ## Run only the browser tests (Chromium)
	DIVERSION_ENV=test $(BIN)/pytest -m browser

clean: ## Remove the virtual environment, node_modules and local data
	rm -rf $(VENV) node_modules var diversion/static/vendor

bench-install: install ## Install the extra packages the benchmarks' baselines need (psmpy, DoWhy)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-bench.in
