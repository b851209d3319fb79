# Every target sets itself up on a fresh machine: the venv is built on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint preview serve serve-dev model lambda bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## talk to the skill in the terminal (embedded store)
	$(PY) -m skill chat

test: $(STAMP)  ## lint, type-check (strict on skill/), then the whole suite
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

preview: $(STAMP)  ## the routine as a timing table
	$(PY) -m skill preview

serve: $(STAMP)  ## self-hosted endpoint on port 8080, verified (needs ALEXA_SKILL_ID)
	$(PY) -m skill serve --port 8080

serve-dev: $(STAMP)  ## the same on 127.0.0.1 without request verification: local testing only
	$(PY) -m skill serve --host 127.0.0.1 --port 8080 --no-verify

model: $(STAMP)  ## regenerate interaction_model/ from the routine data
	$(PY) -m skill model

lambda: $(STAMP)  ## dist/lambda.zip for template.yaml (runtime, arch) from the registry
	$(PY) scripts/build_lambda.py

bench: $(STAMP)
	for f in benchmarks/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache
