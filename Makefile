# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package at the version pip-tools resolved from pyproject.toml: installs cannot drift.
LOCK := requirements/dev.lock
PIP_COMPILE := $(BIN)/pip-compile -q --extra dev --all-build-deps --unsafe-package areagraph \
	--strip-extras --annotation-style line --no-emit-find-links --no-emit-index-url \
	--no-emit-trusted-host --output-file $(LOCK)
# GraphiQL's files, taken from npm at install time (git-ignored; the gateway serves them).
GRAPHIQL := api/pages/graphiql_assets/.fetched
# The dashboard, built from web/ with npm (git-ignored; the gateway serves it at /dashboard/).
WEB := web/dist/.built
WEB_SOURCES := $(shell find web/src web/index.html web/codegen.ts web/vite.config.ts web/vite.graphiql.config.ts web/tsconfig.json \
	-type f -not -path 'web/src/gql/*' 2>/dev/null)

.PHONY: demo test services browser lint lock upgrade

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r $(LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# After changing pyproject.toml's dependencies: the same pins where the ranges still allow them.
lock: $(STAMP)
	$(PIP_COMPILE) pyproject.toml
	$(MAKE) $(STAMP)

# After moving a cap (or to take every release the ranges allow): newest versions, re-pinned.
upgrade: $(STAMP)
	$(PIP_COMPILE) --upgrade pyproject.toml
	$(MAKE) $(STAMP)

$(GRAPHIQL): $(STAMP)
	$(BIN)/areagraph graphiql fetch
	touch $(GRAPHIQL)

$(WEB): web/package.json web/package-lock.json schema.graphql $(WEB_SOURCES)
	cd web && npm ci --no-audit --no-fund && npm run build
	touch $(WEB)

demo: $(STAMP) $(GRAPHIQL) $(WEB)
	$(BIN)/areagraph demo

services:
	@bash scripts/services.sh

browser:
	@bash scripts/chromium.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) $(GRAPHIQL) $(WEB) services browser lint
	$(BIN)/pytest -q
