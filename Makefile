# `make run` serves the portal with demo content; `make test` runs every check CI runs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
TEST_SETTINGS := DJANGO_SETTINGS_MODULE=portal.settings.test

.PHONY: run test install bench-deps lint check unit e2e audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

# Everything the benchmarks (benchmarks/*.py) import: the test requirements, which hold the
# runtime ones (reminders.py runs an SMTP server, aiosmtpd, and the test suite's builders).
bench-deps: $(VENV)/.installed-test

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py setup_schedules
	$(BIN)/python manage.py serve --port $(PORT)

test: lint check unit e2e

# Formatting and lint (ruff), then the import contracts in pyproject.toml (import-linter).
lint: $(VENV)/.installed-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check: $(VENV)/.installed-test
	$(TEST_SETTINGS) $(BIN)/python manage.py check --fail-level WARNING
	$(TEST_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run

# One test process per CPU (pytest-xdist); each has its own test database.
unit: $(VENV)/.installed-test
	$(BIN)/pytest -n auto tests --ignore=tests/e2e

# Browser tests run as their own pytest invocation: live-server tests flush the database.
e2e: $(VENV)/.installed-test
	@test -x $(CHROMIUM) || { echo "Browser tests need Chromium at $(CHROMIUM): apt-get install chromium (.ci/run does this)."; exit 1; }
	@command -v java >/dev/null || { echo "The HTML checks need Java 17: apt-get install openjdk-17-jre-headless (.ci/run does this)."; exit 1; }
	$(BIN)/python tests/e2e/fetch_axe.py
	$(BIN)/python tests/e2e/fetch_vnu.py
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest tests/e2e

# Known vulnerabilities in the pinned dependencies (PyPI's advisory data, through pip-audit).
# It asks pypi.org about each pinned version, so it needs that API; --strict fails when a
# package could not be checked rather than passing it silently.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/.installed: requirements-audit.txt
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-audit.txt
	touch $@

audit: $(AUDIT_VENV)/.installed
	$(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		-r requirements.txt -r requirements-test.txt

clean:
	rm -rf $(VENV) $(AUDIT_VENV) static .pytest_cache .ruff_cache
