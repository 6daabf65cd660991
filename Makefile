# The two commands: `make run` and `make test`. Everything they need is installed by the targets below.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: run test install browser-deps pdf-fonts messages lint bench clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Only the Bootstrap the portal uses, from its Sass sources, both directions (assets/build-css.mjs).
static/build/bootstrap.css: node_modules/.installed assets/bootstrap.scss assets/build-css.mjs
	node assets/build-css.mjs

install: $(VENV)/.installed node_modules/.installed static/build/bootstrap.css
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# Browser tests drive Debian's Chromium (never a downloaded browser). Installed when we may (root with apt);
# otherwise the browser tests skip with a loud reason and say why.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Chromium for the browser tests..."; \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)) \
		|| echo "WARNING: could not install chromium: browser tests will be skipped"; \
	else echo "WARNING: /usr/bin/chromium missing and not root: browser tests will be skipped"; fi

# PDFs in Arabic need fonts with Arabic glyphs that WeasyPrint finds: Debian's Noto fonts (fonts-noto-core),
# installed when we may (root with apt), as in the Docker image.
pdf-fonts:
	@if fc-list :lang=ar family 2>/dev/null | grep -q "Noto"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Noto fonts for Arabic in the PDFs..."; \
		(apt-get install -y -qq fonts-noto-core >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core)) \
		|| echo "WARNING: could not install fonts-noto-core: Arabic in the PDFs falls back to DejaVu Sans"; \
	else echo "WARNING: fonts-noto-core missing and not root: Arabic in the PDFs falls back to DejaVu Sans"; fi

run: install
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo
	$(MANAGE) run_portal

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install browser-deps pdf-fonts lint
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check
	$(PY) -m pytest --cov --cov-report=term:skip-covered $(PYTEST_ARGS); \
	status=$$?; if [ $$status -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$status

# Re-extract every UI string (root templates and kehila into locale/, each app into its own locale/).
APPS := partners committees strategy pilots live
messages: install
	$(MANAGE) makemessages -l he -l ar -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests \
		--ignore=staticfiles --ignore=var --ignore=bench $(addprefix --ignore=,$(APPS))
	for app in $(APPS); do (cd $$app && ../$(PY) ../manage.py makemessages -l he -l ar -l en --no-obsolete) || exit 1; done
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

# The load benchmark (bench/README.md): national-scale data on the local PostgreSQL, gunicorn and a Celery
# worker on Redis, Debian's wrk on loopback. Writes bench/results.json and the table in bench/README.md;
# then the page weight and Largest Contentful Paint of the key pages in Chromium on "slow 4G" (bench/pages.py).
bench: install
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's wrk for the load benchmark..."; \
		apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk); \
	else echo "wrk is missing and we are not root: install Debian's wrk package (apt-get install wrk)"; exit 1; fi
	$(PY) bench/run.py
	$(PY) bench/pages.py --serve --write
	$(PY) bench/live.py

clean:
	rm -rf $(VENV) node_modules var staticfiles static/build .pytest_cache .coverage
