# babelwire: `make demo` runs the demo, `make test` runs the tests. Both install what they need
# (Debian/Ubuntu packages through apt, Python packages into .venv) and are safe to run again.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo demo-once test lint unit system-packages test-system-packages bench clean

demo: system-packages $(VENV)/.installed
	$(BIN)/babelwire demo

demo-once: system-packages $(VENV)/.installed
	$(BIN)/babelwire demo --once

test: test-system-packages $(VENV)/.installed-test lint unit

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

unit: $(VENV)/.installed-test
	$(BIN)/pytest

system-packages:
	scripts/install-system-packages.sh runtime

test-system-packages:
	scripts/install-system-packages.sh test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

bench: $(VENV)/.installed-test
	scripts/install-system-packages.sh bench
	@echo "system packages for the benchmarks are installed; run e.g. $(BIN)/python bench/growth.py --help"

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
