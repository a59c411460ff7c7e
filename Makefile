# Two entry points, as the README says: `make run` and `make test`.
# Both set up everything they need on first use (a virtualenv with the package
# and its dependencies, the built browser client) and redo a step only when
# its inputs change.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CLIENT_SOURCES := $(shell find client -path client/node_modules -prune -o -path client/dist -prune -o -path client/test -prune -o -type f -print 2>/dev/null)
CLIENT := client/dist/index.html
NODE_MODULES := client/node_modules/.package-lock.json

.PHONY: run test setup client client-test browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

client: $(CLIENT)

$(NODE_MODULES): client/package.json client/package-lock.json
	cd client && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CLIENT): $(CLIENT_SOURCES) $(NODE_MODULES)
	cd client && npm run build

# The client logic's unit tests (vitest, client/test/).
client-test: $(NODE_MODULES)
	cd client && npm test

browser:
	scripts/ensure-chromium

run: $(STAMP) $(CLIENT)
	$(BIN)/calmroom decks validate -q decks/*.yaml
	$(BIN)/calmroom serve $(SERVE_ARGS)

test: $(STAMP) $(CLIENT) browser
	$(BIN)/lint-imports
	cd client && npm test
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache client/node_modules client/dist
