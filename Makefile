# One command installs everything and builds the default event: `make`.
# One command runs the whole test suite: `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: all install build test lint clean

all: build

$(BIN)/booklet: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/booklet
	@$(BIN)/python -m booklet.system

build: install
	$(BIN)/booklet build content --out build

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check booklet tests bench
	$(BIN)/ruff format --check booklet tests bench

clean:
	rm -rf build
