# Quick start: `make demo` (install + build the demo workbook), `make test` (install + run the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint install install-test bench workbooks functions wheel ribbon-docs clean

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

# The suite runs twice, whole (3 + 2 minutes here). The test extras install lxml, so openpyxl writes
# with lxml (its namespace declarations differ: r: on every <sheet>); the second run sets
# OPENPYXL_LXML=False, which makes openpyxl 3.1 use its ElementTree writer (openpyxl/xml/__init__.py:
# LXML = lxml importable and OPENPYXL_LXML == "True").
test: install-test lint
	$(BIN)/python -m pytest
	OPENPYXL_LXML=False $(BIN)/python -m pytest

# The tests that touch no file (literal frames through the core), in under a minute.
test-fast: install-test
	$(BIN)/python -m pytest -m "not slow"

# ruff (pyproject [tool.ruff]) and import-linter's contracts (pyproject [tool.importlinter]).
lint: install-test
	$(BIN)/ruff check gendan_xl tests benchmarks docs
	$(BIN)/lint-imports

bench: install-test
	$(BIN)/python benchmarks/bench_refresh.py
	$(BIN)/python benchmarks/bench_history.py
	$(BIN)/python benchmarks/bench_sync.py
	$(BIN)/python benchmarks/bench_sync_unknown.py
	$(BIN)/python benchmarks/bench_reconcile.py
	$(BIN)/python benchmarks/bench_slack.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_chase.py
	$(BIN)/python benchmarks/bench_customer_report.py
	$(BIN)/python benchmarks/bench_ta.py
	$(BIN)/python benchmarks/bench_ta_warning.py
	$(BIN)/python benchmarks/bench_risk.py

# A wheel of gendan-xl in dist/: what docs/excel.md's first setup step installs on a PC without a clone
# (pip install gendan_xl-<version>-py3-none-any.whl). Its dependencies come from the package index.
wheel: install
	rm -rf build/lib dist/gendan_xl-*.whl
	$(BIN)/pip wheel -q --no-deps . -w dist

# docs/excel.md's table of ribbon buttons and their count, from gendan_xl/xlsm/ribbon_xml.py (a test
# fails when they differ).
ribbon-docs: install
	$(BIN)/python docs/ribbon_docs.py

# The bundled demo in workbooks/demo (fixed as-of date, so it is reproducible).
workbooks: install
	rm -rf workbooks/demo
	$(BIN)/gendan demo workbooks/demo --as-of 2026-11-26
	rm -f workbooks/demo/master.bak.xlsx

# What is generated from the worksheet functions (gendan_xl/excel/udfs.py): their VBA in
# gendan_xl/xlsm/vba/ and their list in docs/excel.md (tests/test_udf_vba.py fails while they differ).
functions: install
	$(BIN)/python docs/write_functions.py

clean:
	rm -rf $(VENV) gendan-demo build dist *.egg-info
