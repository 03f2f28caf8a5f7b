# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# GraphiQL's files, taken from npm at install time (git-ignored; the gateway serves them).
GRAPHIQL := api/graphiql_assets/.fetched
# The dashboard, built from web/ with npm (git-ignored; the gateway serves it at /dashboard/).
WEB := web/dist/.built
WEB_SOURCES := $(shell find web/src web/index.html web/codegen.ts web/vite.config.ts web/vite.graphiql.config.ts web/tsconfig.json \
	-type f -not -path 'web/src/gql/*' 2>/dev/null)

.PHONY: demo test services lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

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

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy .

test: $(STAMP) $(GRAPHIQL) $(WEB) services lint
	$(BIN)/pytest -q
