# TeamOps: `make run` serves the app on SQLite with demo data; `make test` runs the whole suite.
# Both set up everything a fresh machine needs first (virtualenv, Python and front-end dependencies).
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTHON ?= python3

.PHONY: install run test test-sqlite test-postgresql lint bench clean

install: $(VENV)/.installed static/dist/.built

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/.built: node_modules/.installed scripts/build-assets.mjs $(wildcard static/src/*)
	npm run --silent build
	touch $@

run: install
	TEAMOPS_ENVIRONMENT=$${TEAMOPS_ENVIRONMENT:-development} $(FLASK) db upgrade
	TEAMOPS_ENVIRONMENT=$${TEAMOPS_ENVIRONMENT:-development} $(FLASK) teamops seed-demo --only-if-empty
	TEAMOPS_ENVIRONMENT=$${TEAMOPS_ENVIRONMENT:-development} $(FLASK) run --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check teamops tests migrations benchmarks wsgi.py
	$(BIN)/mypy

# The suite runs twice: on SQLite (with the browser tests) and on a PostgreSQL server the tests start.
# pytest-xdist spreads each run over the machine's cores (each worker has its own databases and browser).
PYTEST := $(BIN)/pytest -q -p no:benchmark -n auto

test: lint test-sqlite test-postgresql

test-sqlite: install
	$(PYTEST)

test-postgresql: install
	TEAMOPS_TEST_DATABASE=postgresql $(PYTEST) -m "not browser"

bench: install
	$(BIN)/pytest -q benchmarks --benchmark-only

clean:
	rm -rf $(VENV) node_modules static/dist
