# Two commands for a fresh clone: `make run` (the site with demo data) and `make test` (every test).
# `make quick` is the everyday run: every test but those marked slow (README, "Development").
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DEBUG=1 $(BIN)/python manage.py

.PHONY: run test quick lint clean-db

# The intake's worker runs beside the site and stops with it (the trap), polling the demo feed the site serves.
run: $(VENV)/installed-run
	$(MANAGE) migrate
	$(MANAGE) load_demo --with-admin
	$(MANAGE) intake ship
	$(MANAGE) intake demo
	$(MANAGE) procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/installed-dev
	$(BIN)/python -m pytest

quick: $(VENV)/installed-dev
	$(BIN)/python -m pytest -m "not slow"

lint: $(VENV)/installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Delete the embedded database (stop the site and tests first); the next command creates a fresh one.
clean-db:
	rm -rf var/pgdata

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "DiploTrack needs Python 3.11 or newer: make PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/installed-run
