# Two commands do all the setup on a fresh machine:
#   make demo   builds the ledger from the bundled sample corpus into ./swapledger.db, prints it and serves it
#   make test   installs the test dependencies and runs every test and check
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= swapledger.db
PORT   ?= 8000

.PHONY: demo test lint typecheck pytest bench bench-web clean docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/swapledger ingest data/sample --db $(DB)
	$(BIN)/swapledger events --db $(DB)
	$(BIN)/swapledger totals --db $(DB)
	@echo ""
	@echo "Open http://127.0.0.1:$(PORT)/ for the dashboard (API docs at /api/v1/docs); Ctrl-C stops."
	$(BIN)/swapledger serve --db $(DB) --host 127.0.0.1 --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	bash scripts/pytest.sh

test: lint typecheck pytest

docs: $(VENV)/.installed
	$(BIN)/python scripts/cli_reference.py > docs/cli.md

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

# The dashboard and API under load: 1,000,000 claims, 50 concurrent clients (benchmarks/README.md).
bench-web: $(VENV)/.installed
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
