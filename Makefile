# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test services lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/areagraph demo

services:
	@bash scripts/services.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy .

test: $(STAMP) services lint
	$(BIN)/pytest -q
