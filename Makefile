# Every target bootstraps what it needs on a fresh machine: the project venv (.venv) for run/test/lint/
# bench/proto, and a separate venv for aws-sam-cli (.venv-sam), which pins boto3 exactly.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The Lambda runtime's Python. Found on PATH or under pyenv; override with `make PY=/path/to/python3.12`.
PY ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
SAM_VERSION := 1.170.0
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt package-lock.json | cksum | cut -d' ' -f1)

.PHONY: help run test lint lint-mypy lint-template fuzz bench proto build deploy deploy-guided clean

help:
	@echo "make run     serve every route of template.yaml on http://127.0.0.1:$${PORT:-3000} (embedded moto)"
	@echo "make test    lint, then the whole test suite (in parallel, one worker per core)"
	@echo "make lint    ruff (lint + format check), mypy, cfn-lint, the OpenAPI documents"
	@echo "make fuzz    the fuzz tier, long: random seeds, FUZZ_MULTIPLIER x the examples, schemathesis on make run"
	@echo "make bench   latency, throughput, cold import and AWS calls per request"
	@echo "make proto   regenerate the protobuf modules from proto/"
	@echo "make build   sam build          make deploy   sam deploy (settings in samconfig.toml; asks nothing)"
	@echo "make deploy-guided               sam deploy --guided (every Parameter, saved to samconfig.toml)"

# pip's normal output (one line per package) keeps a first run's log moving; the machine's pip config can
# add a "Location ... is ignored" warning per package, which says nothing about the project.
$(STAMP):
	@test -n "$(PY)" || { echo "Python 3.12 (the Lambda runtime) not found; install it or pass PY=/path/to/python3.12" >&2; exit 1; }
	@echo "Bootstrapping $(VENV) (Python 3.12, $(PY)): installing the project and its dev tools (pytest, pytest-xdist, ruff, mypy, cfn-lint, moto, grpcio-tools, ...); the first run takes a few minutes"
	rm -rf $(VENV)
	$(PY) -m venv $(VENV)
	set -o pipefail; $(BIN)/pip install --progress-bar off --disable-pip-version-check -c constraints.txt -e '.[dev]' 2>&1 \
		| { grep --line-buffered -v "^WARNING: Location '.*' is ignored" || true; }
	@command -v npm >/dev/null || { echo "npm not found: tgw console's map and libraries come from the npm registry (package-lock.json); install Node.js and npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(STAMP)
	$(BIN)/python -m local

# The suite in parallel (pytest-xdist): one worker process per core, each with its own moto, environment and
# port; a file's tests run on one worker (its module fixtures, such as a `make run` server, start once).
# Files go out in collection order, fuzz and http first: xdist's default puts files with many tests first,
# which left schemathesis (one test, 23 s) for the end with the other worker idle (112 s; 106 s this way).
# Measured on 2 cores: 2 workers beat 3 or 4. Override with `make test TEST_WORKERS=1`.
TEST_WORKERS ?= auto

# The console's browser test drives Debian's headless Chromium; installed here when missing (as root, like CI).
test: lint
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		echo "Installing Debian's chromium and chromium-driver (the console's browser test)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile --no-loadscope-reorder --durations 5

# ruff first (a second); then mypy beside cfn-lint and the OpenAPI check, each one's output kept together.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(MAKE) --no-print-directory -j 2 --output-sync=target lint-mypy lint-template

lint-mypy:
	$(BIN)/mypy

lint-template:
	$(BIN)/cfn-lint template.yaml
	$(BIN)/openapi-spec-validator openapi/*.yaml

# The fuzz tier of `make test` (tests/fuzz), longer and with random seeds; failures are kept in .hypothesis/
# to replay, and what was sent is summed up at the end and in $(FUZZ_REPORT).
FUZZ_MULTIPLIER ?= 10
SCHEMATHESIS_EXAMPLES ?= 100
FUZZ_REPORT ?= .hypothesis/fuzz-report.json
fuzz: $(STAMP)
	mkdir -p $(dir $(FUZZ_REPORT))
	TGW_FUZZ_PROFILE=long TGW_FUZZ_MULTIPLIER=$(FUZZ_MULTIPLIER) TGW_SCHEMATHESIS_EXAMPLES=$(SCHEMATHESIS_EXAMPLES) \
	TGW_FUZZ_REPORT=$(FUZZ_REPORT) $(BIN)/python -m pytest -m fuzz tests/fuzz

bench: $(STAMP)
	$(BIN)/python -m bench

proto: $(STAMP)
	$(BIN)/python -m tools.protogen

$(SAM_VENV)/.installed-$(SAM_VERSION):
	@test -n "$(PY)" || { echo "Python 3.12 not found" >&2; exit 1; }
	rm -rf $(SAM_VENV)
	$(PY) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --disable-pip-version-check aws-sam-cli==$(SAM_VERSION)
	touch $@

# sam's Python builder needs the runtime's interpreter (python3.12) on PATH.
build: $(SAM_VENV)/.installed-$(SAM_VERSION)
	PATH="$$($(PY) -c 'import os, sys; print(os.path.dirname(sys.executable))'):$$PATH" \
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(SAM_VENV)/bin/sam build

deploy: build
	$(SAM_VENV)/bin/sam deploy

deploy-guided: build
	$(SAM_VENV)/bin/sam deploy --guided

clean:
	rm -rf $(VENV) $(SAM_VENV) .aws-sam .local-data
