# `make run` starts the bot, `make test` runs every check; each creates .venv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench lock

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

check: $(STAMP)
	$(BIN)/python -m bot check

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile
	$(BIN)/python -m bot check
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_search.py
	$(BIN)/python benchmarks/bench_storage.py
	$(BIN)/python benchmarks/bench_broadcast.py

# Re-pin the image's dependencies after changing them in pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet .
	(echo "# Pinned runtime dependencies for the Docker image (make lock regenerates this from pyproject.toml)."; \
	 .lock-venv/bin/python -m pip freeze --exclude soviet-film-bot) > requirements.lock
	rm -rf .lock-venv
