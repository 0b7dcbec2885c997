# The front door: `make run` serves the site, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py

# Python 3.12+ (pyenv reads .python-version, so python3 is 3.12 there).
PYTHON ?= $(shell for p in python3 python3.14 python3.13 python3.12; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

# Local serving: a generated secret, plain HTTP on loopback.
LOCAL_ENV = DJANGO_SECRET_KEY="$$(cat var/secret_key)" DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DJANGO_HTTPS=0

.PHONY: help run serve test browser-tools browser-packages messages catalogue lint format check load-content export-content superuser backup restore clean bench

help:
	@echo "make run             install, migrate, load the content into a new database, serve http://127.0.0.1:$(PORT)"
	@echo "make test            install and run every test (installs Chromium, a CJK font, Java and npm from Debian if missing)"
	@echo "make lint            ruff check and format check"
	@echo "make load-content    reload fixtures/ into the database (asks first; FORCE=1 skips the question)"
	@echo "make export-content  write the database's content back to fixtures/"
	@echo "make catalogue       add new interface strings to the Chinese catalogue (locale/zh_Hans), then translate them"
	@echo "make superuser       create an admin account"
	@echo "make bench           measure the pages with wrk at 1,000, 10,000 and 100,000 synthetic critiques (BENCH_ARGS=--quick or --help)"
	@echo "make backup          write a snapshot of the database into var/backups/"
	@echo "make restore FILE=…  bring a backup back (asks before replacing a database that holds anything; FORCE=1 skips the question)"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: no Python 3.12 or newer found (tried python3, python3.14, python3.13, python3.12)." >&2; \
		echo "Install Python 3.12+, or with pyenv: pyenv install 3.12 (this repo's .python-version asks for 3.12)." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

var/secret_key:
	@mkdir -p var
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: $(VENV)/.installed var/secret_key messages
	$(LOCAL_ENV) $(MANAGE) migrate --no-input
	$(LOCAL_ENV) $(MANAGE) load_content --if-empty
	$(LOCAL_ENV) $(MANAGE) collectstatic --no-input --verbosity 0
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(LOCAL_ENV) $(BIN)/gunicorn iplus.wsgi --config python:iplus.gunicorn_settings --bind 127.0.0.1:$(PORT) --access-logfile -

# Translations: the .po files in locale/ compiled to .mo (never committed), with msgfmt from Debian's gettext.
ifneq ($(wildcard locale/*/LC_MESSAGES/*.po),)
messages: $(VENV)/.installed var/secret_key
	@command -v msgfmt >/dev/null || .ci/apt-install gettext
	$(LOCAL_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules
else
messages: ;
endif

# After changing interface strings: the new ones come in untranslated, changed ones fuzzy; translate them all.
catalogue: $(VENV)/.installed var/secret_key
	@command -v msgfmt >/dev/null || .ci/apt-install gettext
	$(LOCAL_ENV) $(MANAGE) makemessages --locale=zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench
	msgfmt --check --statistics -o /dev/null locale/zh_Hans/LC_MESSAGES/django.po

# The browser tests (tests/browser/) drive Debian's Chromium (never a downloaded browser; CHROMIUM may name
# another), need a CJK font for the Chinese text in screenshots and Java for the Nu HTML Checker, and take
# axe-core and vnu-jar from npm. Whatever is missing is installed from Debian's packages.
browser-packages:
	@.ci/apt-install \
		$$([ -x "$${CHROMIUM:-/usr/bin/chromium}" ] || echo chromium) \
		$$(fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || echo fonts-noto-cjk) \
		$$(command -v java >/dev/null || echo default-jre-headless) \
		$$(command -v npm >/dev/null || echo npm)
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || { echo "error: CHROMIUM=$$CHROMIUM is not an executable (unset it to use Debian's /usr/bin/chromium)." >&2; exit 1; }

node_modules/.package-lock.json: package.json package-lock.json | browser-packages
	npm ci --ignore-scripts --no-audit --no-fund

browser-tools: browser-packages node_modules/.package-lock.json

# PYTEST_ARGS: more options for pytest (bash .ci/run adds --durations=15).
test: $(VENV)/.installed-dev browser-tools messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

load-content: $(VENV)/.installed var/secret_key
	$(LOCAL_ENV) $(MANAGE) migrate --no-input
	$(LOCAL_ENV) $(MANAGE) load_content $(if $(FORCE),--yes)

export-content: $(VENV)/.installed var/secret_key
	$(LOCAL_ENV) $(MANAGE) export_content

superuser: $(VENV)/.installed var/secret_key
	$(LOCAL_ENV) $(MANAGE) migrate --no-input
	$(LOCAL_ENV) $(MANAGE) createsuperuser

# Synthetic content in var/bench-*.sqlite3, never the dev database; wrk from Debian (apt-get install -y wrk).
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
	$(PY) -m bench.run --port $(or $(BENCH_PORT),8210) $(BENCH_ARGS)

backup: $(VENV)/.installed var/secret_key
	$(LOCAL_ENV) $(MANAGE) backup_content

restore: $(VENV)/.installed var/secret_key
	@if [ -z "$(FILE)" ]; then echo "usage: make restore FILE=var/backups/<name> [FORCE=1]" >&2; ls -1t var/backups 2>/dev/null | grep -v '\.manifest\.json$$' | head -5 >&2; exit 2; fi
	$(LOCAL_ENV) $(MANAGE) restore_content "$(FILE)" $(if $(FORCE),--yes)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache node_modules screenshots
