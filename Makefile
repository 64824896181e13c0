# union-events: `make run` serves the app with a demo union; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
export PYTHONDONTWRITEBYTECODE := 1
# DynamoDB Local accepts any credentials but insists on some; never real ones for local work.
export AWS_ACCESS_KEY_ID ?= local
export AWS_SECRET_ACCESS_KEY ?= local
export AWS_DEFAULT_REGION ?= cn-north-1

.PHONY: help setup run test lint format tables seed policy bench clean

help:
	@echo "make run    - set up, start DynamoDB Local and the app on http://127.0.0.1:$${PORT:-8000}/ (demo union)"
	@echo "             (WORKERS=n worker processes, default one per core; WORKERS=1 to debug with pdb)"
	@echo "make test   - set up, then unit, integration and HTTP tests, ruff, policy check"
	@echo "make bench  - cold-start import, registration rush, allocation, check-in, camera decoding, competition engine, notification delivery and year-report benchmarks"
	@echo "make clean  - remove the virtualenv, caches and local data"

# The virtualenv is rebuilt when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $$(devtools/find-python.sh) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

.cache/dynamodb-local/.fetched: devtools/dynamodb_local.py | $(VENV)/.installed
	@$(PY) -m devtools.dynamodb_local fetch
	@touch $@

setup: $(VENV)/.installed .cache/dynamodb-local/.fetched

run: setup
	@$(PY) -m devtools.run

test: setup
	@devtools/ensure-browser.sh
	@devtools/check.sh $(PY)

lint: setup
	@$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: setup
	@$(PY) -m ruff check --fix . && $(PY) -m ruff format .

policy: setup
	@$(PY) -m devtools.iam_policy

bench: setup
	@$(PY) bench/coldstart.py
	@$(PY) bench/rush.py
	@$(PY) bench/hotkey.py
	@$(PY) -m bench.allocation
	@$(PY) -m bench.checkin
	@$(PY) -m bench.qr_decode
	@$(PY) -m bench.engine
	@$(PY) -m bench.schedule
	@$(PY) -m bench.notify
	@$(PY) -m bench.report

clean:
	rm -rf $(VENV) .cache .data .pytest_cache .ruff_cache
