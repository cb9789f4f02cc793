# One venv per checkout; everything the project needs is installed from pyproject.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test check lint demo bench completions reference audit clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check neoctl tests
	$(BIN)/ruff format --check neoctl tests
	$(BIN)/mypy

# The suite waits on subprocesses and emulated jobs more than it computes: 4 workers on
# the project's 2 cores (docs/development.md has the measurements).
PYTEST_WORKERS ?= 4

test: lint
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

# The inner loop: lint, types and the tests that need no emulator and no subprocess.
check: lint
	$(BIN)/pytest -q -m "not e2e"

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

completions: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/completions.sh

reference: $(STAMP)
	$(BIN)/python scripts/gen_reference.py
	$(BIN)/python scripts/gen_inputs_table.py

# The AWS CLI is the peer neoctl is measured against; it pins its own botocore, so it
# gets a venv of its own.
AWS_VENV := bench/.venv-aws

$(AWS_VENV)/.installed: bench/requirements-peer.txt
	test -x $(AWS_VENV)/bin/python || $(PY) -m venv $(AWS_VENV)
	$(AWS_VENV)/bin/python -m pip install -q -r bench/requirements-peer.txt 2>&1 | grep -v '^WARNING: Location' || true
	test -x $(AWS_VENV)/bin/aws
	touch $@

bench: $(STAMP) $(AWS_VENV)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Needs PyPI's JSON API (vulnerability data); not reachable from every build machine.
audit: $(STAMP)
	test -x .venv-audit/bin/pip-audit || ($(PY) -m venv .venv-audit && .venv-audit/bin/pip install -q pip-audit)
	$(BIN)/python -m pip freeze --exclude-editable > .audit-requirements.txt
	.venv-audit/bin/pip-audit --strict --no-deps --disable-pip -r .audit-requirements.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
