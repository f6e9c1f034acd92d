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

.PHONY: run test lint typecheck pytest install clean frontend frontend-test chromium

# The web frontend (frontend/): `npm ci` when node_modules is missing or the lock changed, a build when a
# source is newer than frontend/dist. Needs Node.js 20+ and npm.
NPM ?= npm
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json
FRONTEND_DEPS := frontend/node_modules/.package-lock.json

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

$(FRONTEND_DEPS): frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: $(FRONTEND_DEPS) $(FRONTEND_SOURCES)
	cd frontend && $(NPM) run build

frontend: frontend/dist/index.html

frontend-test: $(FRONTEND_DEPS)
	cd frontend && $(NPM) test

# The browser tests drive Debian's Chromium (no browser download exists here).
chromium:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

## Start the hub on the embedded default (SQLite under ./var/, demo data) at http://$(HOST):$(PORT)
run: $(STAMP) frontend
	$(BIN)/facturehub migrate
	$(BIN)/facturehub demo
	$(BIN)/facturehub serve --host $(HOST) --port $(PORT)

## ruff, the import contracts, mypy, the frontend's build and unit tests, then the whole pytest suite
## (browser tests included) on SQLite and on PostgreSQL (when one answers)
test: lint typecheck frontend frontend-test pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) frontend chromium
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache frontend/node_modules frontend/dist
