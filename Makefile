# The two commands a fresh machine needs: `make synth` and `make test`.
# Each installs what it needs first: .venv with the project, and the pinned CDK CLI.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
SEED := examples/seed

.PHONY: synth test lint typecheck install build-example clean bench bytecode

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

build-example: $(VENV)/.installed
	cd $(SEED) && PYTHON=../../$(PY) ./build.api.direct.sh test linux arm64
	cd $(SEED) && PYTHON=../../$(PY) ./build.api.direct.sh auth linux arm64

## synthesize the example compose project into cdk.out/ with the pinned CDK CLI
synth: install build-example bytecode
	npx cdk synth --quiet
	$(PY) -m constructs_lib summary cdk.out

## the whole test suite
test: install build-example typecheck
	$(PY) -m ruff check .
	$(PY) -m pytest -q

lint: $(VENV)/.installed typecheck
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## mypy --strict on the library and the stacks; the custom-resource Lambdas as the modules they are
HANDLERS := constructs_lib/constructs/custom_resources/handlers
typecheck: $(VENV)/.installed
	$(PY) -m mypy constructs_lib stacks app.py
	cd $(HANDLERS) && ../../../../$(PY) -m mypy --strict --config-file /dev/null --cache-dir ../../../../.mypy_cache/handlers \
		$(patsubst %.py,-m %,$(notdir $(wildcard $(HANDLERS)/*.py)))

clean:
	rm -rf cdk.out .pytest_cache

## bytecode for our own modules (pip compiles the dependencies; PYTHONDONTWRITEBYTECODE=1 would
## otherwise make every run compile them again)
bytecode: $(VENV)/.installed
	$(PY) -m compileall -q constructs_lib stacks app.py >/dev/null

## synth benchmark (prints a table; see README "Performance"). Compare with Serverless v3:
##   make bench BENCH_ARGS="--sls DIR/node_modules/.bin/serverless --compose DIR/node_modules/.bin/serverless-compose"
bench: install build-example bytecode
	$(PY) bench/synth_bench.py $(BENCH_ARGS)

## regenerate v3's templates of the reference cases (tests/reference/sls3) with serverless@3.40.0,
## offline; npm installs it once into ~/.cache/sls-cdk/sls3. Unchanged cases stay untouched. E.g.
##   make reference REFERENCE_ARGS="--check"        make reference REFERENCE_ARGS="13-layers"
.PHONY: reference
reference:
	$(PYTHON) tests/reference/regenerate.py $(REFERENCE_ARGS)
