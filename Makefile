# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# GraphiQL's files, taken from npm at install time (git-ignored; the gateway serves them).
GRAPHIQL := api/graphiql_assets/.fetched

.PHONY: demo test services lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

$(GRAPHIQL): $(STAMP)
	$(BIN)/areagraph graphiql fetch
	touch $(GRAPHIQL)

demo: $(STAMP) $(GRAPHIQL)
	$(BIN)/areagraph demo

services:
	@bash scripts/services.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy .

test: $(STAMP) $(GRAPHIQL) services lint
	$(BIN)/pytest -q
