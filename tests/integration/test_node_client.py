"""A real client from npm under Node (issue 19): Apollo Client with its default InMemoryCache and automatic persisted
queries, against the real app and graph (clients/typescript/apollo_check.mjs); and the generated TypeScript types
(clients/typescript/schema.ts, graphql-codegen) match the schema snapshot.

The npm packages are fetched once with `npm ci` from the committed package-lock.json (like `make web-assets`);
without `node` and `npm`, or without the registry, these tests skip and say why."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_patient_importers import BUNDLE

CLIENT_DIR = Path(__file__).resolve().parents[2] / "clients" / "typescript"


@pytest.fixture(scope="module")
def node_packages() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are not installed (apt-get install nodejs npm): the npm client checks need them")
    if not (CLIENT_DIR / "node_modules" / "@apollo" / "client").is_dir():
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=CLIENT_DIR,
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["?"])[-1]
            pytest.skip(f"npm ci could not fetch Apollo Client and graphql-codegen from the registry: {last}")
    return CLIENT_DIR


def test_apollo_client_with_its_default_cache(node_packages, live_server, tmp_path):
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(BUNDLE), encoding="utf-8")
    result = subprocess.run(["node", "apollo_check.mjs", f"{live_server.url}/graphql", str(bundle)], cwd=node_packages,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:] + result.stdout[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    azacitidine, luspatercept = (set(ids) for ids in seen["facts"])
    assert azacitidine and luspatercept and azacitidine != luspatercept
    assert seen["treatmentGroup"] == "LOWER" and seen["scoringSystem"] == "IPSS_R" and seen["importedSex"] == "FEMALE"
    assert seen["importedScore"] == 3.5  # the FHIR bundle's IPSS-R (tests/unit/test_patient_importers.py)
    # APQ: every operation went first as a hash; each new document was then sent once in full
    assert seen["persistedRequests"] >= 5 and seen["fullRequests"] >= 1


def test_generated_typescript_types_match_the_schema(node_packages, tmp_path):
    config = tmp_path / "codegen.yml"
    config.write_text(f"schema: {CLIENT_DIR.parents[1] / 'schema.graphql'}\ngenerates:\n  {tmp_path / 'schema.ts'}:\n"
                      + (CLIENT_DIR / "codegen.yml").read_text(encoding="utf-8").split("schema.ts:\n", 1)[1],
                      encoding="utf-8")
    result = subprocess.run(["npx", "--no-install", "graphql-codegen", "--config", str(config)], cwd=node_packages,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    fresh = (tmp_path / "schema.ts").read_text(encoding="utf-8")
    committed = (CLIENT_DIR / "schema.ts").read_text(encoding="utf-8")
    assert fresh == committed, "clients/typescript/schema.ts is stale: run `make client-types`"
    assert "export type Verdict =" in committed and "export type PatientValues = {" in committed
