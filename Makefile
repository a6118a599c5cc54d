# Two commands on a fresh machine: `make run` and `make test`.
# The Makefile makes its own virtual environment in .venv and installs everything from pyproject.toml.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test bench lint docs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Touchstone needs Python 3.11 or newer.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)  ## the terminal chat (no tokens) or Telegram/Discord (with tokens)
	$(BIN)/touchstone run

test: $(STAMP)  ## the whole test suite (PostgreSQL too when TOUCHSTONE_TEST_POSTGRES_URL is set)
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## speed figures; each script ends with one JSON line
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/votes.py
	$(BIN)/python bench/telegram.py
	$(BIN)/python bench/discord.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/agenda.py
	$(BIN)/python bench/participation.py
	$(BIN)/python bench/glossary.py

lint: $(STAMP)  ## ruff, mypy and the import contracts (import-linter)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

docs: $(STAMP)  ## regenerate the README's command table from the registry
	$(BIN)/python -m bot.docs --write README.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
