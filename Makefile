# `make run` starts the bot, `make test` runs every check — the suite on SQLite, then again on a
# PostgreSQL server it starts itself; each creates .venv and installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres check bench bench-peers lock

# requirements-dev.lock pins every package of the dev install (the dev tools included), so that a new
# release of ruff or mypy cannot turn CI red overnight; `make lock` moves the pins on purpose.
$(STAMP): pyproject.toml requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]" -c requirements-dev.lock
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
	$(BIN)/python -m tests.support.database $(BIN)/pytest

# The suite on PostgreSQL alone (a throwaway server of its own; Debian's postgresql package).
test-postgres: $(STAMP)
	$(BIN)/python -m tests.support.database $(BIN)/pytest

bench: $(STAMP) bench-peers
	$(BIN)/python benchmarks/bench_search.py
	$(BIN)/python benchmarks/bench_storage.py
	$(BIN)/python benchmarks/bench_broadcast.py
	$(BIN)/python benchmarks/bench_updates.py

# The peer of bench_updates.py in its own venv: aiogram pins an older pydantic than the bot's.
bench-peers: .venv-peers/.installed
.venv-peers/.installed:
	$(PYTHON) -m venv .venv-peers
	.venv-peers/bin/python -m pip install --quiet "aiogram==3.31.0"
	touch .venv-peers/.installed

# Re-pin the image's dependencies and the dev install after changing them in pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet .
	(echo "# Pinned runtime dependencies for the Docker image (make lock regenerates this from pyproject.toml)."; \
	 .lock-venv/bin/python -m pip freeze --exclude soviet-film-bot) > requirements.lock
	.lock-venv/bin/python -m pip install --quiet ".[dev]"
	(echo "# Pinned dev install, tools included (make lock regenerates this from pyproject.toml)."; \
	 .lock-venv/bin/python -m pip freeze --exclude soviet-film-bot) > requirements-dev.lock
	rm -rf .lock-venv
