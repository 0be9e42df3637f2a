# OneStop: `make demo` serves the demo city; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint check-migrations messages browser-deps bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/onestop demo

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "The browser tests need Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk"; exit 1; fi; \
	fi

test: $(STAMP) browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	DJANGO_SETTINGS_MODULE=onestop.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=onestop.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(PY) bin/check_deploy.py
	$(PY) -m pytest -q $(PYTEST_ARGS)

messages: $(STAMP)
	$(PY) bin/messages.py

bench: $(STAMP)
	@echo "bench/: each script prints JSON"; for f in bench/*.py; do $(PY) $$f; done

clean:
	rm -rf $(VENV) var
