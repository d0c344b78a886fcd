# Two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
# Debian's own Python 3.11, what the portal runs on in production, even where another
# python3 comes first on PATH (pyenv's build here ran the inbox a third slower).
PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
VENV := .venv
BIN := $(VENV)/bin

# `make run` and `make test` are development contexts: DEBUG on unless set.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-True}
# Tests without REDIS_URL use an in-process broker; with it (CI), the real Redis.
# Two workers: the suite runs in half the time on a 2-core machine.
PYTEST_ARGS ?= -n 2
TEST_ENV := $(DEV_ENV) CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$${REDIS_URL:-memory://}}

.PHONY: run test security bench lint format system-deps system-deps-test messages check-deploy clean

$(BIN)/python:
	@PYTHON=$(PYTHON) scripts/system-deps.sh run
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

## make run: install, migrate, load demo data, start web + Celery worker + beat.
run: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo --print-logins
	@echo "Portal: http://127.0.0.1:8000  (Ctrl-C stops web, worker and beat)"
	$(DEV_ENV) $(BIN)/honcho start -f Procfile

## make test: install the dev requirements, lint, run the whole suite.
test: $(VENV)/.installed-dev system-deps-test lint
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

## make security: bandit over the portal's code (every finding fixed or in the reviewed
## baseline, docs/security/bandit-baseline.json) and pip-audit of the pinned requirements.
APPS := accounts inquiries publications reports notifications audit privacy regulation health benchdata katingan_sosmed
security: $(VENV)/.installed-dev
	$(BIN)/bandit -q -r $(APPS) -x '*/tests/*,*/migrations/*' -b docs/security/bandit-baseline.json
	$(BIN)/pip-audit -r requirements.txt --progress-spinner off

## make bench: the benchmarks against PostgreSQL (DATABASE_URL), into docs/benchmarks.md
## and var/bench/*.json: every page and job at 100,000 and 1,000,000 inquiries
## (bench/scale.py), then the loopback load (bench/load.py, needs wrk).
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/scale.py 100000 1000000
	$(BIN)/python bench/load.py

system-deps-test:
	@PYTHON=$(PYTHON) scripts/system-deps.sh test

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh and compile the Indonesian translations.
messages: $(VENV)/.installed-dev
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) var
