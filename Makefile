# The two commands: `make run` (everything, foreground, Ctrl-C stops it) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TQDM_DISABLE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore

SPACY_MODEL := build/spacy_uscis
MODEL := models/current.tar.gz
SPACY_INPUTS := rasa_project/nlp/spacy_model.py rasa_project/nlp/lexicon.yml \
	rasa_project/directory/contacts.yml rasa_project/directory/loader.py
TRAINING_INPUTS := config.yml $(wildcard domain/*.yml) rasa_extensions/intent_classifier.py rasa_extensions/sentence_featurizer.py $(shell find data -name '*.yml') $(SPACY_MODEL)/meta.json

.PHONY: run up down status venv model train system system-test lint test test-unit test-unpatched test-stories test-nlu test-report validate web-messages bench bench-voices bench-configs clean

run: venv model system  ## everything in the foreground; Ctrl-C stops it all
	$(PY) -m ops.stack run

up: venv model system  ## the stack in the background
	$(PY) -m ops.stack up

down:
	$(PY) -m ops.stack down

status:
	$(PY) -m ops.stack status

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || "$$(scripts/python310.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) scripts/sync_venv.py
	touch $@

system:
	scripts/system_packages.sh redis nginx

system-test:
	scripts/system_packages.sh redis nginx browser

# axe-core, injected into the page by the browser tests; pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

model: $(MODEL)

# Train only when the data, domain, config or spaCy model changed.
$(MODEL): $(TRAINING_INPUTS) | venv
	$(RASA) train --domain domain --fixed-model-name current --out models --quiet
	touch $@

train: venv
	rm -f $(MODEL)
	$(MAKE) model

$(SPACY_MODEL)/meta.json: $(SPACY_INPUTS) | venv
	rm -rf $(SPACY_MODEL)
	$(PY) -m rasa_project.nlp.spacy_model $(SPACY_MODEL)

validate: venv $(SPACY_MODEL)/meta.json
	$(RASA) data validate --domain domain --fail-on-warning

lint: venv
	$(VENV)/bin/ruff check .

test-unit: venv model  # some unit tests load the trained model
	$(PY) -m pytest tests/unit

# End to end: each story's `user:` text goes through the NLU, so a story fails when its message
# is understood as another intent (or with other entities), not only when a rule is missing.
# On plain Rasa: `rasa test` builds none of our channels, which install the patches.
test-stories: venv model
	RASA_PATCHES=off $(RASA) test core --e2e --model $(MODEL) --stories tests/stories \
		--fail-on-prediction-errors --out results/rasa-test

# Every test story and conversation test (against the running stack: `make up`), and a readable
# report of the failed ones in results/test-report/ (docs/staff.md); the staff console shows it.
test-report: venv model
	$(PY) -m testing.test_report

# The website's texts: new English ones from the page and the widget are added to the Spanish
# catalog (translate them there; the unit tests fail until every one is), unused ones removed.
web-messages: venv
	cd rasa_project/web && $(abspath $(VENV))/bin/pybabel extract -F babel.cfg --no-wrap \
		--project "USCIS Virtual Assistant website" --version 1 \
		-o $(CURDIR)/build/web-messages.pot . && $(abspath $(VENV))/bin/pybabel update \
		-i $(CURDIR)/build/web-messages.pot -d locale --no-wrap --ignore-obsolete

# The held-out sets must stay above the floors in bench/nlu_floor.py.
test-nlu: venv model
	$(PY) -m bench.nlu_floor $(MODEL)

## The conversation tests on a stack of plain Rasa (RASA_PATCHES=off; the stories run unpatched
## too): a Rasa upgrade can start from here (docs/patches.md).
test-unpatched: venv system model test-stories
	RASA_PATCHES=off $(PY) -m pytest tests/integration/test_conversations.py

## Every test: data validation, pytest (unit, integration with a real Redis and stack), stories.
test: venv lint system-test node_modules/.installed model validate
	$(PY) -m pytest || [ $$? -eq 5 ]  # 5: no tests collected
	$(MAKE) test-stories test-nlu test-unpatched

## The benchmark: the assistant beside the stock `rasa init` assistant (results/bench/report.md).
bench: venv system $(SPACY_MODEL)/meta.json
	$(PY) -m bench.run

## First Contact Resolution alone: bench/heldout_real_voices.yml and heldout_fresh_voices.yml through a stack of its own.
bench-voices: venv system model
	$(PY) -m bench.real_voices --start --set real --set fresh

## The pipeline and policy comparison recorded in docs/performance.md (results/bench-configs/).
bench-configs: venv $(SPACY_MODEL)/meta.json
	$(PY) -m bench.configs

clean:
	rm -rf build models results var
