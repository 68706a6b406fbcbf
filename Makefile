# The two commands of the README's Quickstart:
#   make run    install, build the graph from seeds/ and serve it on http://127.0.0.1:5000/
#   make test   install (with the test extras, Debian's chromium for the browser tests and GNU parallel for
#               the sharded-extraction tests) and run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test browser parallel build load audit

run: install
	$(BIN)/kg build
	$(BIN)/kg query members
	$(BIN)/kg serve --host $(HOST) --port $(PORT)

test: install-test browser parallel
	$(BIN)/python -m pytest -q

build: install
	$(BIN)/kg build

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's chromium for the Playwright browser tests (never a browser download of Playwright's own)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# GNU parallel for the sharded-extraction tests (tests/test_shards.py, docs/cluster.md); moreutils' `parallel` is another program
parallel:
	@parallel --version 2>/dev/null | grep -q '^GNU parallel' || { \
	  echo "installing Debian's GNU parallel for the sharded-extraction tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq parallel >/dev/null; }

# a 60 s load test on loopback (benchmarks/, not the unit tests)
load: install-test
	$(BIN)/python -m benchmarks.load --seconds 60 --clients 32

# dependency advisories (needs the network; the pinned minimums in pyproject.toml stand in offline)
audit: install-test
	$(BIN)/pip install --quiet pip-audit && $(BIN)/pip-audit --skip-editable
