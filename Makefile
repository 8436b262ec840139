# The two commands of the contract: `make run` and `make test`. Everything else helps them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)/platform:$(CURDIR)
export DJANGO_SETTINGS_MODULE := jianlian.settings

.PHONY: run test bench install messages schema lock migrate seed stop clean

# Reinstalls only when the lock or the project file changed, so a second `make run` starts in seconds.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "需要 Python 3.11 (Python 3.11 required), found " + sys.version' 
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

# Compiles the gettext catalogues (.po → .mo, build output); skips those already up to date.
messages: install
	$(PY) -m jianlian.core.compile_messages

run: install messages
	$(PY) -m jianlian.supervisor

# The suite runs with tests/settings.py: the real settings plus the sample modules it installs.
test: install messages
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest $(PYTEST_ARGS)

bench: install messages
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest tests/bench -p no:randomly -s -q --no-header $(PYTEST_ARGS)

migrate: install
	$(PY) manage.py migrate_all

seed: install
	$(PY) manage.py seed_demo

schema: install
	$(PY) manage.py graphql_schema --schema jianlian.api.schema.schema --out graphql/schema.graphql

stop: install
	$(PY) -m jianlian.devservices stop

# Re-pin every dependency from pyproject.toml into requirements.lock.
lock:
	rm -rf /tmp/jianlian-lock && $(PYTHON) -m venv /tmp/jianlian-lock
	/tmp/jianlian-lock/bin/pip install --quiet ".[test]"
	(echo '# Exact versions for reproducible installs. Regenerate with `make lock` after changing pyproject.toml.'; \
	 /tmp/jianlian-lock/bin/pip freeze --exclude-editable | grep -v '^jianlian') > requirements.lock

clean:
	rm -rf $(VENV) .var
