# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `make run PORT=8080 HOST=...`: where the hub listens; tokens and OAuth metadata name that address
# unless FACTUREHUB_PUBLIC_URL says otherwise. HOST is not taken from the environment, where some shells
# and images put the machine's name.
HOST   := 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint typecheck pytest install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Start the hub on the embedded default (SQLite under ./var/, demo data) at http://$(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/facturehub migrate
	$(BIN)/facturehub demo
	$(BIN)/facturehub serve --host $(HOST) --port $(PORT)

## ruff, the import contracts, mypy, then the whole pytest suite on SQLite and on PostgreSQL (when one answers)
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache
