"""`mdskg etl` from the command line: the seed's recommendation with structured criteria, idempotent
re-runs, and bad input reported and skipped while the rest loads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from graph.load import graph_counts
from tests.shared_data import requires_shared

IST_HYPO = "MDSKG:rec/therapy-ist--group-lower-risk-hypocellular-mds"


def cli_env(neo4j_server, settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "MDSKG_", "ANTHROPIC_"))}
    env.update({"NEO4J_URI": settings.neo4j_uri, "NEO4J_PASSWORD": settings.neo4j_password,
                "MDSKG_NEO4J_HOME": str(neo4j_server.home)})
    return env


def run_cli(args, env, cwd):
    return subprocess.run([sys.executable, "-m", "mdskg_cli", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=600)


def test_seed_recommendation_carries_structured_criteria(loaded_graph):
    rows = loaded_graph.read_text(
        "MATCH (r:Recommendation)-[:RECOMMENDS]->(:Therapy {id: 'MDSKG:therapy/ist'}), "
        "(r)-[:FOR_POPULATION]->(:PatientGroup {id: 'MDSKG:group/lower-risk-hypocellular-mds'}) "
        "MATCH (r)-[h:HAS_CRITERION]->(c:Criterion) "
        "RETURN r.id AS rec, c.variable AS variable, c.operator AS op, c.value_json AS value, c.role AS role, "
        "h.citations AS citations")
    assert rows, "no IST recommendation for lower-risk hypocellular MDS"
    criteria = {(r["variable"], r["op"], json.loads(r["value"]), r["role"]) for r in rows}
    assert ("age", "<=", 60, "favours") in criteria
    assert ("marrow_blasts_pct", "<=", 5, "favours") in criteria
    assert ("marrow_cellularity", "==", "hypocellular", "favours") in criteria
    assert ("pnh_clone", "==", True, "favours") in criteria
    assert ("stat3_t_cell_clone", "==", True, "favours") in criteria
    assert all(r["citations"] for r in rows)
    # Every hop of the seed path carries provenance: source ids, sentences, offsets, extractor.
    hops = loaded_graph.read_text(
        "MATCH (d:Disease {id: 'NCIT:C3247'})-[a:HAS_RISK_GROUP]->(lr {id: 'MDSKG:risk/lower-risk'})"
        "-[b:HAS_PATIENT_GROUP]->(g {id: 'MDSKG:group/lower-risk-hypocellular-mds'})<-[c:FOR_POPULATION]-(r)"
        "-[e:RECOMMENDS]->(t {id: 'MDSKG:therapy/ist'})-[f:INCLUDES_DRUG]->(x {id: 'MDSKG:drug/horse-atg'}) "
        "RETURN [h IN [a, b, c, e, f] | {citations: h.citations, sources: h.source_ids, extractors: h.extractors, "
        "offsets: h.offsets}] AS hops LIMIT 1")
    assert hops
    for hop in hops[0]["hops"]:
        assert hop["citations"] and hop["sources"] and hop["extractors"]
        assert len(hop["sources"]) == len(hop["extractors"]) == len(hop["offsets"])


def test_second_run_changes_nothing(loaded_graph, neo4j_server, settings, tmp_path):
    before = graph_counts(loaded_graph)
    result = run_cli(["etl", "--report", str(tmp_path / "report.json")], cli_env(neo4j_server, settings), tmp_path)
    assert result.returncode == 0, result.stderr
    assert graph_counts(loaded_graph) == before
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["documents_loaded"] == 0 and report["documents_unchanged"] == report["documents_read"] >= 10


@requires_shared("data/ctgov/legacy_xml/NCT01029262.xml")
def test_bad_input_is_reported_and_skipped_while_the_rest_loads(loaded_graph, neo4j_server, settings, tmp_path,
                                                                 shared_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(shared_dir / "data" / "ctgov" / "legacy_xml" / "NCT01029262.xml", folder / "good-trial.xml")
    (folder / "broken.xml").write_text("<PubmedArticleSet><PubmedArticle><MedlineCitation>", encoding="utf-8")
    (folder / "broken.json").write_text('{"protocolSection": {', encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.md").write_bytes(b"\x00\x01\x02\xff" * 50)
    (folder / "table.xlsx").write_bytes(b"PK\x03\x04 not a document")
    env = cli_env(neo4j_server, settings)
    result = run_cli(["etl", str(folder), "--report", str(tmp_path / "r.json")], env, tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr  # loaded, with skips
    report = json.loads((tmp_path / "r.json").read_text())
    skipped = {Path(s["path"]).name: s["reason"] for s in report["problems"]}
    assert set(skipped) == {"broken.xml", "broken.json", "empty.txt", "binary.md", "table.xlsx"}
    assert all(reason for reason in skipped.values())
    assert report["documents_read"] == 1
    assert loaded_graph.read_text("MATCH (d:Document {id: 'clinicaltrials:NCT01029262'}) RETURN d.id AS id")
    strict = run_cli(["etl", str(folder), "--strict"], env, tmp_path)
    assert strict.returncode == 1
    assert strict.stderr.startswith("error: ") and "--strict" in strict.stderr


def test_missing_path_is_a_clear_error(neo4j_server, settings, tmp_path):
    result = run_cli(["etl", str(tmp_path / "nope")], cli_env(neo4j_server, settings), tmp_path)
    assert result.returncode == 1 and "no such file or folder" in result.stderr
