# Two commands for a newcomer: `make run` and `make test`. Each sets itself up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test typecheck setup setup-dev lint fmt messages translations migrate seed clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed translations

setup-dev: $(VENV)/.installed-dev translations

translations: $(VENV)/.installed
	$(PY) manage.py compiletranslations --verbosity 0

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## Serve the site with demo data on http://127.0.0.1:$(PORT)/ (HTTP and WebSockets, one process).
run: seed
	@echo ""
	@echo "  Serving on http://127.0.0.1:$(PORT)/   (stop with Ctrl+C)"
	@echo ""
	DJANGO_DEBUG=1 $(VENV)/bin/uvicorn civic.asgi:application --host 127.0.0.1 --port $(PORT) --lifespan off

## Lint, type-check and run the whole suite.
test: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/mypy
	$(PY) -m pytest $(PYTEST_ARGS)

## Type-check the pure engines and every services and selectors module (the list is in pyproject.toml).
typecheck: setup-dev
	$(VENV)/bin/mypy

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: setup-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## For developers: extract new strings into the catalogues (needs GNU gettext), then translate them.
messages: setup
	$(PY) manage.py makemessages --locale zh_Hans --locale en --ignore ".venv/*" --ignore "var/*" --no-obsolete
	$(PY) manage.py makemessages --domain djangojs --locale zh_Hans --locale en --ignore ".venv/*" --ignore "var/*" --no-obsolete

clean:
	rm -rf $(VENV) var
