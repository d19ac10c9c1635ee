# esa-publish: `make run` serves the demo, `make test` runs the whole suite.
# Both go through `make install`, which is safe to run again at any time.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
export PYTHAINLP_READ_ONLY := 1
export DJANGO_SETTINGS_MODULE := esa_publish.settings

# Debian packages: WeasyPrint's Pango and HarfBuzz (subsetting makes memo PDFs faster and
# smaller), gettext to compile translations, FriBiDi for the libraqm in Pillow's wheels (Thai
# text layout in the share images; without it Pillow misplaces Thai vowels and tone marks).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext libfribidi0
# Only for tests: the browser (Debian's Chromium, driven by Playwright), poppler to read PDFs,
# Java for the Nu Html Checker, and PHP to check the WordPress plugin (integrations/wordpress/)
# and run its shortcodes.
TEST_PACKAGES := chromium poppler-utils default-jre-headless php-cli
# Also for tests: npm installs axe-core and vnu-jar (package-lock.json) for the accessibility and
# HTML validity tests (vnu-jar, the Nu Html Checker, runs on Java: default-jre-headless). Debian's
# nodejs and npm are installed only when there is no npm at all, so a Node.js installed another
# way (whose package conflicts with Debian's npm) is left alone.
NODE_PACKAGES := nodejs npm
# npm writes this file on every install; `npm ci` runs again only when the lock is newer.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: install install-test run test test-fast lint format serve clean

install: system-packages $(STAMP) locale/en/LC_MESSAGES/django.mo locale/th/LC_MESSAGES/django.mo

install-test: install
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(TEST_PACKAGES)"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory system-packages PACKAGES="$(NODE_PACKAGES)"
	@$(MAKE) --no-print-directory --silent $(NODE_STAMP)

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

system-packages: PACKAGES ?= $(SYSTEM_PACKAGES)
system-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
	  { echo "esa-publish needs Python 3.11 (set PYTHON=python3.11)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

# th: the gaps in Django's own Thai translation of the admin (see locale/th/LC_MESSAGES/django.po).
locale/en/LC_MESSAGES/django.mo locale/th/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po locale/th/LC_MESSAGES/django.po $(STAMP)
	$(PY) manage.py compilemessages -v0 --ignore=.venv

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop), with the task worker alongside"
	@$(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# Production: gunicorn (esa_publish/gunicorn_conf.py) with DEBUG off. SECRET_KEY, ALLOWED_HOSTS,
# SITE_URL and DATABASE_URL come from the environment; see docs/DEPLOY.md for all of them.
# The task worker (e-mail, LINE) runs alongside and stops with gunicorn; under systemd each has
# its own unit instead (docs/DEPLOY.md).
serve: export DEBUG := false
serve: install
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(VENV)/bin/gunicorn --config python:esa_publish.gunicorn_conf

test: install-test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var artifacts node_modules
