# Set-up is part of every target: a fresh clone needs only Python 3.11+, npm and make.
#   make synth   synthesize the example app into dist/ (and examples/*/dist/)
#   make test    lint, type-check and run the whole test suite
#   make package build the sdist and wheel into build/pypi and check them (the release workflow runs it)
#   make bench   run the benchmarks (workspaces, people, audit)
#   make imports regenerate imports/ and the shipped CRD schemas from ../shared/crds
#   make schemas regenerate kasm_constructs/manifests/crd_schemas.json from ../shared/crds
#   make jsii    regenerate the Python packages of the TypeScript modules in jsii-src/
#   make docs    rewrite the command outputs shown in README.md and docs/*.md
#   make release-check TAG=vX.Y.Z  the release workflow's check of a tag
PYTHON ?= python3
VENV := .venv
CHECKOV_VENV := .venv-checkov
BIN := $(CURDIR)/$(VENV)/bin
# Node 22 from node_modules (package.json pins it): jsii and the cdk8s CLI use the `node` on PATH.
export PATH := $(CURDIR)/node_modules/.bin:$(BIN):$(PATH)
# cdk8s synth otherwise asks the npm registry for a newer CLI.
export CDK8S_CHECK_UPGRADE := false
export KASM_CONSTRUCTS_CHECKOV := $(CURDIR)/$(CHECKOV_VENV)/bin/checkov

.PHONY: synth test lint setup package bench imports schemas jsii docs release-check clean
.DEFAULT_GOAL := test

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed $(CHECKOV_VENV)/.installed node_modules/.installed

EXAMPLES := $(sort $(dir $(wildcard examples/*/cdk8s.yaml)))

synth: $(VENV)/.installed node_modules/.installed
	cdk8s synth
	for example in $(EXAMPLES); do (cd $$example && cdk8s synth) || exit 1; done

lint: $(VENV)/.installed
	ruff check .
	ruff format --check .
	mypy --strict kasm_constructs

test: setup lint
	pytest

# The benchmarks (bench/README.md): workspaces, people, the audit; about 12 minutes.
bench: $(VENV)/.installed node_modules/.installed
	python -m bench --repeat 5 --import-repeat 10
	python -m bench --people --sizes 1000,3000,10000 --repeat 1
	python -m bench.audit --repeat 5 --pure

# The PyPI artifacts (dist/ holds the synthesized manifests): the sdist, the wheel built from it,
# `twine check`, then tests/test_package.py on these very files (each installed alone in a fresh
# venv synthesizes a workspace). The release workflow publishes what this leaves in $(PYPI_DIR).
PYPI_DIR := build/pypi
package: $(VENV)/.installed node_modules/.installed
	rm -rf $(PYPI_DIR)
	python -m build --outdir $(PYPI_DIR)
	twine check --strict $(PYPI_DIR)/*
	KASM_CONSTRUCTS_ARTIFACTS=$(PYPI_DIR) pytest -q tests/test_package.py

# The release workflow's check of the tag it runs for (TAG, from the environment or the command
# line): it must be v + __version__ of kasm_constructs/_version.py (the one version source), and CHANGELOG.md must
# have that version's section.
release-check:
	@version=$$($(PYTHON) -c 'import runpy; print(runpy.run_path("kasm_constructs/_version.py")["__version__"])') || exit 1; \
	if [ "$$TAG" != "v$$version" ]; then \
	  echo "release-check: the tag is '$$TAG', but kasm_constructs/_version.py says version $$version: tag v$$version, or change __version__" >&2; \
	  exit 1; \
	fi; \
	if ! grep -q "^## \[$$version\] - [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$$" CHANGELOG.md; then \
	  echo "release-check: CHANGELOG.md has no section '## [$$version] - YYYY-MM-DD': move the Unreleased entries there" >&2; \
	  exit 1; \
	fi; \
	echo "release-check: tag $$TAG, version $$version, CHANGELOG.md section [$$version]"

# The command outputs shown in the documentation, from the commands themselves.
docs: $(VENV)/.installed
	python -m tests.test_preflight --update
	python -m tools.generate

# The classes `cdk8s import` generates from the CRDs cdk8s.yaml lists, offline, with the pinned
# CLI. Generated in build/ first, so that a failed import leaves the committed ones as they were.
imports: node_modules/.installed
	rm -rf build/imports
	cdk8s import --no-save --output build/imports
	rm -rf imports/kasm_constructs
	mv build/imports/kasm_constructs imports/
	rm -rf build/imports
	python -m tools.crd_schemas

# The schemas `kasm-constructs validate` checks custom resources against: the openAPIV3Schema
# of every served version of the CRDs in ../shared/crds, read there, never copied
# (tools/crd_schemas.py; tests/test_validate.py fails when the shipped file is stale).
schemas: $(VENV)/.installed
	python -m tools.crd_schemas

# The jsii modules written in TypeScript (jsii-src/README.md), offline and reproducibly: the
# pinned jsii-srcmak compiles each against the cdk8s and constructs that requirements.txt pins
# (the jsii assemblies their Python packages bundle) into its Python package under
# kasm_constructs/, made in a temporary directory first.
jsii: $(VENV)/.installed node_modules/.installed
	python jsii-src/build.py

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) node_modules build .pytest_cache .mypy_cache .ruff_cache
