# Thin aliases. Each target creates .venv when it is missing (or when pyproject.toml changed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8866

.PHONY: run test bench lint env hub

env: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "CryoGen needs Python 3.11+"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[app,test]'
	$(BIN)/python -m cryogen_widgets.warm_up
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m cryogen_widgets.serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy solver

hub: $(STAMP)
	CRYOGEN_AUTHENTICATOR=$${CRYOGEN_AUTHENTICATOR:-dummy} CRYOGEN_DUMMY_PASSWORD=$${CRYOGEN_DUMMY_PASSWORD:-change-me} \
	  $(BIN)/jupyterhub -f hub_config/jupyterhub_config.py
