# Every target sets itself up on a fresh machine: scripts/venv.py builds .venv on first use
# with only what the target needs (the runtime for `run`; the test toolchain for `test`),
# and rebuilds a .venv left by a too-old Python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SETUP := $(PYTHON) scripts/venv.py

.PHONY: run reset test lint preview serve serve-dev model skill-package lambda bench mutate-table clean

run:  ## talk to the skill in the terminal (embedded store)
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill chat

reset:  ## forget the console's progress (the embedded store) and start fresh
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill chat --forget

test:  ## lint, type-check (strict on skill/), then the whole suite
	@$(SETUP) test $(VENV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -q

lint:
	@$(SETUP) test $(VENV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The test toolchain on its own (what `make test` installs first), for running pytest directly.
$(VENV)/.installed: pyproject.toml
	@$(SETUP) test $(VENV)

preview:  ## the routine as a timing table
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill preview

serve:  ## self-hosted endpoint on port 8080, verified (needs ALEXA_SKILL_ID)
	@$(SETUP) web $(VENV)
	$(PY) -m skill serve --port 8080

serve-dev:  ## the same on 127.0.0.1 without request verification: local testing only
	@$(SETUP) web $(VENV)
	$(PY) -m skill serve --host 127.0.0.1 --port 8080 --no-verify

model:  ## regenerate interaction_model/ (and skill-package/, its copy for `ask deploy`)
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill model
	$(PY) -m skill package

skill-package:  ## regenerate skill-package/ (for `ask deploy`) from interaction_model/
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill package

lambda:  ## dist/lambda.zip for template.yaml (runtime, arch) from the registry
	@$(SETUP) runtime $(VENV)
	$(PY) scripts/build_lambda.py

mutate-table:  ## swap and delete every cell of the dialogue table in a copy; are they all caught?
	@$(SETUP) test $(VENV)
	$(PY) scripts/mutate_table.py

bench:  ## print the benchmark figures (see benchmarks/)
	@$(SETUP) test $(VENV)
	for f in benchmarks/*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache .mypy_cache
