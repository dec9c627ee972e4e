# Quick start: `make demo` (install + build the demo workbook), `make test` (install + run the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test bench clean

$(BIN)/gendan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $(BIN)/gendan

install: $(BIN)/gendan

$(VENV)/.test-deps: $(BIN)/gendan
	$(BIN)/pip install -q -e ".[test]"
	touch $(VENV)/.test-deps

install-test: $(VENV)/.test-deps

demo: install
	$(BIN)/gendan demo gendan-demo

test: install-test
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_refresh.py

clean:
	rm -rf $(VENV) gendan-demo build *.egg-info
