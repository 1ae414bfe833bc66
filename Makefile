# ZI Portal — the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: backup restore run test serve worker lint messages makemessages assets system-packages install install-dev install-prod lock migrate bench-scoring loadtest clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Three locks with hashes (pip then checks every download): requirements.txt for `make run`,
# requirements-prod.txt adds the production server, requirements-dev.txt adds tests and lint.
# Each lock holds the one before it, so its stamp marks those as installed too.
$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-prod: requirements-prod.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements-prod.txt
	touch $(VENV)/.installed $@

$(VENV)/.installed-dev: requirements-dev.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $(VENV)/.installed-prod $@

install: $(VENV)/.installed
install-prod: $(VENV)/.installed-prod
install-dev: $(VENV)/.installed-dev

# Regenerate the three locks from requirements*.in, in order: each .in is constrained by the
# lock before it. Pins already in a lock are kept; `make lock LOCK_ARGS=--upgrade` moves the
# unpinned (transitive) packages to their newest versions. docs/dependencies.md explains.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	$(LOCK_ARGS)
lock: install-dev
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-prod.txt requirements-prod.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/.built: node_modules/.package-lock.json scripts/copy-vendor.mjs
	npm run --silent build
	touch $@

assets: static/vendor/.built

messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# For developers: refresh locale/*/django.po after changing strings.
makemessages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l id -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=static/vendor

migrate: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0

# Install, migrate, load demo data and serve on SQLite (or on DATABASE_URL when set).
run: install assets messages migrate
	DEBUG=1 $(PY) manage.py load_rubric
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "ZI Portal: http://$(HOST):$(PORT)/"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

system-packages:
	bash scripts/ensure-system-packages.sh

# Install everything the tests need, then run every test: ruff, pytest and the browser tests.
test: install-dev assets system-packages messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Production-style server; needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment.
serve: install-prod assets messages
	$(PY) manage.py check_serving
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py migrate --no-input
	$(BIN)/gunicorn zi_portal.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} \
		--forwarded-allow-ips "$${TRUSTED_PROXIES:-127.0.0.1}"

# The background jobs' worker, with their schedule (beat); needs CELERY_BROKER_URL and the same
# settings as `make serve`. Exactly one (two would run the schedule twice); WORKER_CONCURRENCY
# spreads its jobs. At a lower CPU priority: on a machine shared with `make serve`, the figures
# and exports it computes wait for the pages people are waiting on.
worker: install-prod messages
	nice -n 10 $(BIN)/celery -A zi_portal worker --beat --loglevel INFO --concurrency $${WORKER_CONCURRENCY:-1}

# Time scoring one full evaluation (target: at most 2 ms).
bench-scoring: $(VENV)/.installed
	DEBUG=1 $(PY) -m bench.scoring

# The peak-week load test: locust against gunicorn (DEBUG off, 127.0.0.1 only) on a fresh copy of
# the national dataset (LOADTEST_TEMPLATE, default zi_national, loaded the first time, which takes
# minutes), caches cold; prints p50/p95/p99, throughput and errors per endpoint and the write
# check. LOADTEST_USERS, LOADTEST_SECONDS, LOADTEST_WORKERS, LOADTEST_PROCESSES, LOADTEST_CACHE,
# LOADTEST_FIND_MAX … tune it (bench/loadtest.py, docs/performance.md).
loadtest: install-dev assets messages
	$(PY) -m bench.loadtest

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles

BACKUP ?= backups/latest
# Back up the database (pg_dump or the SQLite file) and uploaded files into $(BACKUP).
backup: $(VENV)/.installed
	$(PY) manage.py backup_data $(BACKUP)

# Replace the current data with the backup in $(BACKUP).
restore: $(VENV)/.installed
	$(PY) manage.py restore_data $(BACKUP)
