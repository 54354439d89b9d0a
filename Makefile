# Two commands on a fresh machine: `make check` (the main job) and `make test`.
# `make setup` is idempotent: stamps make a second run do nothing slow.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: setup check test lint bench property slow-runner mutation shells loopback first-screen clean

setup: $(PY_STAMP) $(NODE_STAMP)

$(PY_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m compileall -q cli  # byte-code now, so no run pays for it (PYTHONDONTWRITEBYTECODE)
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v node >/dev/null || { echo "node is not on PATH: install Node.js 20 or newer (https://nodejs.org)" >&2; exit 3; }
	@command -v npm >/dev/null || { echo "npm is not on PATH: install Node.js 20 or newer, which brings npm" >&2; exit 3; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

check: setup
	$(BIN)/app convex check

# Four workers on two cores: many tests wait on deadlines and child processes (six or eight
# are slower: the suite is then bound by its CPU, mostly the app and Node processes it starts).
TEST_WORKERS ?= 4

test: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The shells whose completion scripts the tests load and ask for completions (bash is there
# already): zsh and fish, installed with apt-get when missing (as root, or with sudo that asks
# for no password). Without them the tests check the scripts' text instead, and fail under CI.
COMPLETION_SHELLS := zsh fish

shells:
	@missing=""; for shell in $(COMPLETION_SHELLS); do command -v $$shell >/dev/null || missing="$$missing $$shell"; done; \
	if [ -z "$$missing" ]; then echo "shells: $(COMPLETION_SHELLS) installed"; exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
		echo "make shells: install$$missing with your package manager (no apt-get here); the completion tests load each shell" >&2; exit 3; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
	else echo "make shells:$$missing missing; run as root or with sudo: apt-get install -y$$missing" >&2; exit 3; fi; \
	echo "shells: installing$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$sudo apt-get install -y -qq $$missing >/dev/null || { $$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing >/dev/null; }

lint: setup
	$(BIN)/ruff check cli tests bench
	$(BIN)/ruff format --check cli tests bench
	$(BIN)/mypy

# The long run of codegen's property test (make test runs 25 examples).
PROPERTY_EXAMPLES ?= 1000

property: setup
	PROPERTY_EXAMPLES=$(PROPERTY_EXAMPLES) $(BIN)/python -m pytest -q tests/services/convex/typegen/test_property.py

# The deadlines' defaults on a runner four times slower: one core shared with three busy
# processes (minutes; make test leaves it out).
slow-runner: setup
	$(BIN)/python -m pytest -q -m slow_runner tests/runner

# Mutation testing of the push rules, validators, settings reader and runner (mutmut, installed
# here on demand; [tool.mutmut] in pyproject.toml): mutants/ afresh each run, niced, then the
# kill rate per target and the mutants not killed. Tens of minutes on two cores.
MUTATION_STAMP := $(VENV)/.mutation-installed
MUTATION_CHILDREN ?= 2

$(MUTATION_STAMP): pyproject.toml $(PY_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,mutation]'
	touch $@

mutation: setup $(MUTATION_STAMP)
	rm -rf mutants
	mkdir mutants && ln -s ../node_modules mutants/node_modules
	nice -n 10 $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/python -m tests.support.mutation_report

# The loopback deployment, for trying `app` offline (a stand-in, not the Convex backend):
# 127.0.0.1:$(LOOPBACK_PORT), printing what to export; Ctrl-C, SIGTERM or SIGHUP stop it.
LOOPBACK_PORT ?= 3210

loopback: setup
	@$(BIN)/python -m tests.loopback serve --port $(LOOPBACK_PORT)

# The README's first screen, command by command, on a fresh clone of HEAD: a new venv and
# npm ci (network), the loopback deployment standing in for the cloud (about a minute).
# make test follows it on a copy of the working tree, sharing .venv and node_modules.
first-screen: setup
	FIRST_SCREEN_FRESH=1 $(BIN)/python -m pytest -q tests/project/test_first_screen.py

bench: setup
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) node_modules
