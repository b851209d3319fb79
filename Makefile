# Every target sets itself up on a fresh machine: scripts/venv.py builds .venv on first use
# with only what the target needs (the runtime for `run`; the test toolchain for `test`),
# and rebuilds a .venv left by a too-old Python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SETUP := $(PYTHON) scripts/venv.py

.PHONY: run reset test lint preview serve serve-dev model skill-package catalogues data lambda bench mutate-table clean

run:  ## talk to the skill in the terminal (embedded store); ARGS="--locale es-US" for Spanish
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill chat $(ARGS)

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

preview:  ## the routine as a timing table; ARGS="--locale es-MX --wav r.wav" to hear it
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill preview $(ARGS)

serve:  ## self-hosted endpoint on port 8080, verified (needs ALEXA_SKILL_ID)
	@$(SETUP) web $(VENV)
	$(PY) -m skill serve --port 8080

serve-dev:  ## the same on 127.0.0.1 without request verification: local testing only
	@$(SETUP) web $(VENV)
	$(PY) -m skill serve --host 127.0.0.1 --port 8080 --no-verify

model:  ## regenerate interaction_model/, the compiled catalogues (Babel) and skill-package/
	@$(SETUP) test $(VENV)
	$(PY) -m skill model
	$(PY) -m skill package

skill-package:  ## regenerate skill-package/ (for `ask deploy`) from interaction_model/
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill package

catalogues:  ## bring the translation catalogues (.po) up to en.toml; list what is untranslated
	@$(SETUP) test $(VENV)
	$(PY) -m skill catalogues --update

data:  ## prebuild the routine and locale data and the trimmed botocore data (skill/prebuilt.py; make lambda and make bench do it too)
	@$(SETUP) runtime $(VENV)
	$(PY) -m skill.prebuilt

lambda:  ## dist/lambda.zip for template.yaml (runtime, arch) from the registry
	@$(SETUP) runtime $(VENV)
	$(PY) scripts/build_lambda.py

mutate-table:  ## swap and delete every cell of the dialogue table in a copy; are they all caught?
	@$(SETUP) test $(VENV)
	$(PY) scripts/mutate_table.py

bench:  ## run every benchmark; their output, dated, in benchmarks/results/ (see benchmarks/run_all.py)
	@$(SETUP) test $(VENV)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache .mypy_cache
