# Two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
STAMP := .venv/.installed

.PHONY: run test lint bench soak eval eval-qa venv neo4j-start neo4j-stop chromium web-assets client-types graph clean-neo4j

venv: $(STAMP)
$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[test,bench]"
	@touch $(STAMP)

# Debian's Chromium drives the browser tests (Neo4j Browser, GraphiQL, the reference app).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# GraphiQL's and the reference app's scripts are served locally (no CDN): fetched once from npm.
web-assets:
	@$(PY) -m service.web.assets

# After a schema change: the committed snapshot (schema.graphql) and the TypeScript types generated from it
# (clients/typescript/schema.ts, graphql-codegen from npm); tests fail while either is stale.
client-types: venv
	$(PY) -m service.schema > schema.graphql
	cd clients/typescript && npm ci --no-audit --no-fund --ignore-scripts && npx graphql-codegen --config codegen.yml

neo4j-start: venv
	.venv/bin/mdskg neo4j start

neo4j-stop: venv
	.venv/bin/mdskg neo4j stop

graph: neo4j-start
	.venv/bin/mdskg graph init --with-ontology
	.venv/bin/mdskg etl

run: venv web-assets graph
	.venv/bin/mdskg serve

test: venv chromium web-assets
	.venv/bin/pytest -q -p no:cacheprovider

# What CI runs before the tests (.ci/run): lint (no reformatting), types, and the import layering
# (contracts in pyproject.toml: mdskg_cli > etl | service > graph > mdskg > ontology).
# All three run; the target fails if any of them does.
lint: venv
	@status=0; \
	  .venv/bin/ruff check . || status=1; \
	  .venv/bin/mypy || status=1; \
	  .venv/bin/lint-imports || status=1; \
	  exit $$status

bench: venv
	$(PY) -m bench.run

# Evaluations that print tables: the patient vignettes (real Neo4j, GraphQL), NER on gold corpora, then the
# Claude writer's adversarial suite (hand-written replies through the real SDK and a loopback fake).
eval: venv
	$(PY) -m bench.guidance_eval
	$(PY) -m bench.extraction_eval
	$(PY) -m bench.trial_verdict_eval
	$(PY) -m bench.criteria_probes
	$(PY) -m bench.outcome_probes
	$(PY) -m bench.ner_eval
	$(PY) -m bench.writer_eval

# The QA evaluation: lay questions with must-mention / must-not items, answered over GraphQL (real Neo4j).
eval-qa: venv
	$(PY) -m bench.qa_eval

# 10,000 `ask` requests at concurrency 32 against gunicorn and a real Neo4j (about 7 minutes).
soak: venv
	$(PY) -m bench.soak
