# Two entry points for a fresh machine (see README): `make run` and `make test`.
# Both create the virtual environment .venv from pyproject.toml on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install golden clean-venv

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: $(BIN)/.installed
	$(BIN)/scrubline run seeds --out cleaned

test: $(BIN)/.installed
	$(BIN)/python -m pytest

# Regenerate the committed cleaned/ after a code change (every change to cleaners/ changes the
# sidecars' pipeline_version); tests/test_golden.py says what differs.
golden: $(BIN)/.installed
	$(BIN)/scrubline clean seeds --out cleaned --force -q

clean-venv:
	rm -rf $(VENV)
