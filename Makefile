# The two commands of the contract: `make run` and `make test`. Everything else helps them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MAKE_STARTED := $(shell date +%s)
export PYTHONPATH := $(CURDIR)/platform:$(CURDIR)
export DJANGO_SETTINGS_MODULE := jianlian.settings

.PHONY: run test test-external bench install messages schema lock migrate seed stop clean

# --- the web workbench (frontend/): each step is skipped while its inputs are unchanged ---------
NPM ?= npm
FE := frontend
FE_DEPS := $(FE)/node_modules/.installed
FE_GEN := $(FE)/src/gql/.generated
FE_BUILT := $(FE)/dist/.built
# The workbench's sources, and the modules' frontends beside their backends (modules/<key>/frontend/).
FE_SRC := $(shell find $(FE)/src $(FE)/public $(wildcard modules/*/frontend tests/sample_modules/*/frontend) -type f -not -path '$(FE)/src/gql/*' 2>/dev/null) \
	$(FE)/index.html $(FE)/vite.config.ts $(FE)/tsconfig.json

# Reinstalls only when the lock or the project file changed, so a second `make run` starts in seconds.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "需要 Python 3.11 (Python 3.11 required), found " + sys.version' 
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

# `npm ci` only when the lock changed.
$(FE_DEPS): $(FE)/package-lock.json
	@command -v $(NPM) >/dev/null || { echo "需要 Node.js 20+ 与 npm (Node.js 20+ and npm required)"; exit 1; }
	cd $(FE) && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

# Types, typed documents and the persisted-documents manifest (the server's allow-list) from the
# schema and the operations in src/.
$(FE_GEN) graphql/persisted-documents.json &: $(FE_DEPS) graphql/schema.graphql $(FE)/codegen.ts $(FE)/scripts/publish-manifest.mjs $(FE_SRC)
	cd $(FE) && $(NPM) run --silent codegen
	@touch $(FE_GEN)

# The production build Django serves, with .gz copies for WhiteNoise.
$(FE_BUILT): $(FE_GEN) $(FE_SRC) | $(STAMP)
	cd $(FE) && $(NPM) run --silent build -- --logLevel warn
	$(PY) -m whitenoise.compress -q --no-brotli $(FE)/dist
	@touch $@

frontend: $(FE_BUILT)

# Lint and type-check (part of `make test`), again only when something they read changed.
FE_CHECKED := $(FE)/node_modules/.checked
$(FE_CHECKED): $(FE_GEN) $(FE_SRC) $(FE)/eslint.config.js $(FE)/codegen.ts $(FE)/scripts/publish-manifest.mjs
	cd $(FE) && $(NPM) run --silent lint && $(NPM) run --silent typecheck
	@touch $@

frontend-check: $(FE_CHECKED)

.PHONY: frontend frontend-check
# `make run` serves the build; `make test` also lints and type-checks it before pytest.
run: frontend
test: frontend frontend-check

# Compiles the gettext catalogues (.po → .mo, build output); skips those already up to date.
messages: install
	$(PY) -m jianlian.core.compile_messages

run: install messages
	$(PY) -m jianlian.supervisor

# The suite runs with tests/settings.py: the real settings plus the sample modules it installs.
# After pytest's own closing line, the wall time of the whole `make test` (setup, frontend checks,
# pytest), counted from when make started.
# Two pytest-xdist workers, a test file each at a time (module-scoped worlds and browsers stay in
# one process); each worker is a run of its own (database, Redis database, channel prefix: see
# tests/conftest.py). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(PYTEST_WORKERS)),-p no:xdist,-n $(PYTEST_WORKERS) --dist loadfile)
test: install messages
	@echo "DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)"
	@DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS); status=$$?; \
	  elapsed=$$(( $$(date +%s) - $(MAKE_STARTED) )); \
	  printf 'make test: %d min %02d s wall time\n' $$((elapsed / 60)) $$((elapsed % 60)); exit $$status

# The tenancy, marketplace, bus and referral suites against an external PostgreSQL or Citus
# coordinator: DATABASE_URL, REDIS_URL and JIANLIAN_TEST_DATABASE (see tests/external_db.py).
EXTERNAL_SUITES := tests/test_tenancy.py tests/test_marketplace.py tests/test_bus.py tests/test_referrals.py tests/test_citus.py tests/test_clone.py
test-external: install messages
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest -p tests.external_db $(EXTERNAL_SUITES) $(PYTEST_ARGS)

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
	rm -rf $(VENV) .var $(FE)/node_modules $(FE)/dist $(FE)/src/gql
