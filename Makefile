# TeamOps: `make run` serves the app on SQLite with demo data; `make test` runs the whole suite.
# Both set up everything a fresh machine needs first (virtualenv, Python and front-end dependencies).
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PYTHON ?= python3

.PHONY: install run test test-sqlite test-postgresql lint lock audit fuzz bench bench-smoke bench-imports clean

install: $(VENV)/.installed static/dist/.built

# Every Python dependency comes from the lock file, pinned with its hashes (pip refuses a file whose hash is not
# there); TeamOps itself is then installed as editable, with nothing more fetched.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# `make lock`: pins every dependency again, with hashes, after a change to pyproject.toml (or to take newer
# releases of what it does not pin). requirements.lock is what production installs; requirements-dev.lock adds the
# test and lint tools. pip-tools runs in a throwaway virtualenv, from PyPI only.
PIP_COMPILE = env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null .lock-venv/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-find-links --no-emit-index-url

lock:
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet pip-tools==7.5.1
	$(PIP_COMPILE) --output-file=requirements.lock requirements-build.in pyproject.toml
	$(PIP_COMPILE) --extra dev --output-file=requirements-dev.lock requirements-build.in pyproject.toml
	rm -rf .lock-venv

# `make audit`: known vulnerabilities in the locked Python packages (pip-audit, against PyPI's advisory database)
# and in the front-end packages (npm audit). Not part of `make test`: the advisory services may not answer from
# every machine. The last result is in the README.
audit: install
	$(PYTHON) -m venv .audit-venv
	.audit-venv/bin/pip install --quiet pip-audit==2.9.0
	.audit-venv/bin/pip-audit --require-hashes --disable-pip -r requirements-dev.lock; \
	  python_status=$$?; npm audit; npm_status=$$?; rm -rf .audit-venv; \
	  test $$python_status -eq 0 -a $$npm_status -eq 0

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

# `make fuzz`: Hypothesis sends every form 1,000 examples of hostile values (tests/fuzz/) on SQLite; CI's
# `make test` runs the same tests at 10 a form. FUZZ_EXAMPLES sets another count. Its last result is in the README.
FUZZ_EXAMPLES ?= 1000

fuzz: install
	TEAMOPS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -p no:benchmark -n auto tests/fuzz

# `make bench`: the county at 1x and 3x on SQLite and PostgreSQL, served by gunicorn and loaded by hey
# (benchmarks/load.py); results in benchmarks/results/. BENCH_ARGS adds options, e.g. BENCH_ARGS=--strict.
# `make bench-smoke`: the same at a tiny scale, a second a target, in a few tens of seconds.
# `make bench-imports`: the import benchmarks (pytest-benchmark, benchmarks/bench_*.py).
BENCH := $(BIN)/python -m benchmarks.load
NEED_HEY = @command -v hey >/dev/null || { echo "The benchmark needs the load generator hey: apt-get install hey" >&2; exit 2; }

bench: install
	$(NEED_HEY)
	$(BENCH) --backend both --scale 1 3 $(BENCH_ARGS)

bench-smoke: install
	$(NEED_HEY)
	$(BENCH) --backend sqlite --scale 0.01 --duration 1 --workers 2 --connections 4 \
		--out $${TMPDIR:-/tmp}/teamops-bench-smoke $(BENCH_ARGS)

bench-imports: install
	$(BIN)/pytest -q benchmarks --benchmark-only

clean:
	rm -rf $(VENV) node_modules static/dist
