# Two entry points, as the README says: `make run` and `make test`.
# Both set up everything they need (a virtualenv with the package and its
# dependencies) on first use and only redo it when pyproject.toml changes.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup decks-check clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(STAMP)
	$(BIN)/calmroom decks validate -q decks/*.yaml
	$(BIN)/calmroom serve $(SERVE_ARGS)

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
