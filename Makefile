# Two commands matter: `make run` (fresh clone → working site) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: setup run test lint format check-deploy messages system-deps clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

# Web on http://127.0.0.1:8000, a Celery worker and beat, all in the foreground; Ctrl-C stops all.
run: setup
	DJANGO_SETTINGS_MODULE=config.settings.local $(MANAGE) preflight
	DJANGO_SETTINGS_MODULE=config.settings.local $(MANAGE) migrate --no-input
	DJANGO_SETTINGS_MODULE=config.settings.local $(MANAGE) seed_demo
	DJANGO_SETTINGS_MODULE=config.settings.local $(VENV)/bin/honcho start -f Procfile

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

# Sort imports and format the whole tree the way `make lint` checks it.
format: setup
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

# The production settings with the environment they require must pass the deployment checks.
check-deploy: setup
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY='check-deploy-$(shell head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")' \
	DJANGO_ALLOWED_HOSTS=orgs.example.gov.cn \
	$(MANAGE) check --deploy --fail-level WARNING

# The suite runs in PYTEST_WORKERS processes (pytest-xdist; each has its own test database, cache
# keys and media root, see config/settings/test.py); PYTEST_WORKERS=0 runs it in this one. The test
# databases are created anew from the migrations (--create-db overrides the --reuse-db that plain
# `pytest` runs keep): a database left by an earlier run may hold another version of the schema.
PYTEST_WORKERS ?= 2
test: setup lint check-deploy
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) preflight --check-only
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal --create-db $(PYTEST_ARGS)

# Regenerate the translation catalogue after changing interface strings (needs GNU gettext).
# Each app keeps its own catalogue (<app>/locale); templates/ and config/ use locale/.
messages: setup
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests
	$(PY) scripts/po_status.py
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

# Debian packages the browser tests need (Chromium, CJK fonts), gettext, and LibreOffice Calc (the
# workbook test converts a quarterly review workbook to CSV); needs root.
system-deps:
	@missing=""; for p in chromium fonts-noto-cjk gettext libreoffice-calc-nogui redis-server; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

clean:
	rm -rf $(VENV) node_modules staticfiles
