"""The analyst's graph (issue 18) against the loaded corpus: honest evidence counts that a re-load does not change,
unmapped terms as nodes with their documents, the KGX export (round trip of node and edge counts, the checks,
the command), and the style sheet and guide the service serves to Neo4j Browser."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from etl.run import CORPUS_DIR, run_etl
from graph.export.kgx import EDGES_FILE, NODES_FILE, SCHEMA_FILE, export_kgx, kgx_id, read_jsonl, validate_kgx
from mdskg.settings import PROJECT_ROOT
from ontology import load_ontology
from ontology.biolink import node_categories, predicates
from tests.integration.test_etl_cli import cli_env, run_cli

CURATED = ("ontology@", "curated@")


def expected_documents(edge: dict) -> set[str]:
    """The documents that state a fact, from its provenance lists (docs/analyst.md, 'Evidence counts')."""
    documents: set[str] = set()
    for source, extractor, cited in zip(edge["source_ids"], edge["extractors"], edge["evidence_citations"],
                                        strict=True):
        if extractor.startswith(CURATED):
            documents |= {c for c in cited.split("|") if c}
        else:
            documents.add(source)
    return documents


def evidence(graph) -> list[dict]:
    return graph.read_text(
        "MATCH (a:Entity)-[e]->(b:Entity) RETURN a.id AS a, type(e) AS t, b.id AS b, e.source_ids AS source_ids, "
        "e.extractors AS extractors, e.evidence_citations AS evidence_citations, e.citations AS citations, "
        "e.document_count AS document_count, e.citation_count AS citation_count, e.source_count AS source_count "
        "ORDER BY a, t, b")


def test_document_count_is_the_distinct_documents_that_state_the_fact(loaded_graph):
    edges = evidence(loaded_graph)
    assert len(edges) > 1000
    for edge in edges:  # every edge of the corpus, not a sample: the check is cheap
        assert edge["document_count"] == len(expected_documents(edge)), edge
        assert edge["citation_count"] == edge["source_count"] == len(set(edge["citations"])), edge
    # A corpus sentence citing several papers: one document, several citations.
    several = [e for e in edges if not any(x.startswith(CURATED) for x in e["extractors"])
               and e["citation_count"] > e["document_count"] == 1]
    assert several, "no extracted fact cites more sources than the documents it was read from"


def test_loading_a_document_again_changes_no_count(loaded_graph, settings):
    doc = "MDSKG:doc/immunosuppressive-therapy"
    statement = ("MATCH (a:Entity)-[e]->(b:Entity) WHERE $doc IN e.source_ids "
                 "RETURN a.id AS a, type(e) AS t, b.id AS b, e.document_count AS d, e.citation_count AS c, "
                 "size(e.evidence_keys) AS k ORDER BY a, t, b")
    terms = "MATCH (t:UnmappedTerm) RETURN t.id AS id, t.document_count AS n ORDER BY id"
    before, terms_before = loaded_graph.read_text(statement, doc=doc), loaded_graph.read_text(terms)
    assert before and terms_before
    for force in (False, True):  # unchanged (skipped), then read again from scratch (withdrawn, re-loaded)
        report = run_etl([CORPUS_DIR / "immunosuppressive-therapy.md"], loaded_graph, settings, force=force)
        assert not report.problems
        assert loaded_graph.read_text(statement, doc=doc) == before
        assert loaded_graph.read_text(terms) == terms_before


def test_unmapped_terms_are_nodes_with_their_documents(loaded_graph):
    rows = loaded_graph.read_text(
        "MATCH (t:UnmappedTerm) "
        "OPTIONAL MATCH (d:Source)-[m:MENTIONS_UNMAPPED]->(t) "
        "RETURN t.id AS id, t.name AS name, t.document_count AS count, "
        "collect({doc: d.id, source_ids: m.source_ids, extractors: m.extractors}) AS edges")
    assert rows
    for row in rows:
        assert row["name"] and row["id"].startswith("MDSKG:unmapped/")
        docs = [e["doc"] for e in row["edges"] if e["doc"]]
        assert row["count"] == len(docs) == len(set(docs)) > 0, row
        assert all(e["source_ids"] == [e["doc"]] and e["extractors"] == ["unmapped-terms"] for e in row["edges"])
    names = {r["name"].lower() for r in rows}
    known = {n.lower() for c in load_ontology().concepts.values() for n in (c.name, *c.synonyms)}
    assert not names & known, names & known


def test_kgx_export_round_trips_the_graph(loaded_graph, tmp_path):
    report = export_kgx(loaded_graph, tmp_path)
    (counts,) = loaded_graph.read_text(
        "RETURN COUNT { MATCH (n:Entity) } AS nodes, COUNT { MATCH (:Entity)-[]->(:Entity) } AS edges")
    nodes, edges = list(read_jsonl(tmp_path / NODES_FILE)), list(read_jsonl(tmp_path / EDGES_FILE))
    assert (report.nodes, report.edges) == (len(nodes), len(edges)) == (counts["nodes"], counts["edges"])
    assert validate_kgx(tmp_path) == []
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    node_check = jsonschema_rs.validator_for({**schema, "$ref": "#/$defs/node"})
    edge_check = jsonschema_rs.validator_for({**schema, "$ref": "#/$defs/edge"})
    for node in nodes:
        node_check.validate(node)
    for edge in edges:
        edge_check.validate(edge)
    # ids map back to the graph's, categories and predicates are the model's mapping
    graph_ids = {r["id"] for r in loaded_graph.read_text("MATCH (n:Entity) RETURN n.id AS id")}
    assert {n.get("mdskg_id", n["id"]) for n in nodes} == graph_ids
    categories = node_categories()
    assert all(n["category"] == [categories[n["mdskg_label"]]] for n in nodes)
    assert all(e["predicate"] == predicates()[e["original_predicate"]] for e in edges)
    # provenance on an extracted fact: its sentences and the papers behind it
    (fact,) = loaded_graph.read_text(
        "MATCH (a:Entity {id: $a})-[e:PREDICTS_RESPONSE_TO]->(b:Entity {id: $b}) "
        "RETURN e.sentences AS sentences, e.citations AS citations, e.document_count AS documents",
        a="MDSKG:marker/hla-dr15", b="MDSKG:therapy/ist")
    (exported,) = [e for e in edges if (e["subject"], e["original_predicate"], e["object"]) ==
                   (kgx_id("MDSKG:marker/hla-dr15"), "PREDICTS_RESPONSE_TO", kgx_id("MDSKG:therapy/ist"))]
    assert set(exported["supporting_text"]) == {s for s in fact["sentences"] if s}
    assert "PMID:12176872" in exported["publications"] and exported["agent_type"] == "text_mining_agent"
    assert exported["document_count"] == fact["documents"] and exported["primary_knowledge_source"] == "infores:mdskg"


def test_kgx_check_finds_a_broken_export(loaded_graph, tmp_path):
    export_kgx(loaded_graph, tmp_path)
    lines = (tmp_path / EDGES_FILE).read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[0])
    broken["predicate"], broken["object"] = "biolink:cures", "MDSKG:nowhere"
    (tmp_path / EDGES_FILE).write_text("\n".join([json.dumps(broken), *lines[1:]]) + "\n", encoding="utf-8")
    problems = validate_kgx(tmp_path)
    assert any("biolink:cures" in p for p in problems) and any("MDSKG:nowhere" in p for p in problems)


def test_mdskg_export_kgx_command(loaded_graph, neo4j_server, settings, tmp_path):
    result = run_cli(["export", "kgx", str(tmp_path / "kgx")], cli_env(neo4j_server, settings), PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert "nodes" in result.stdout and "checked:" in result.stdout
    assert (tmp_path / "kgx" / NODES_FILE).stat().st_size > 0 and (tmp_path / "kgx" / EDGES_FILE).stat().st_size > 0


@pytest.fixture(scope="module")
def web(settings, graph):
    from service.app import create_app

    return create_app({"SETTINGS": settings, "GRAPH": graph, "TESTING": True}).test_client()


def test_service_serves_the_style_sheet_and_guide_to_the_browser(web):
    style = web.get("/analyst/style.grass", headers={"Origin": "http://localhost:7474"})
    assert style.status_code == 200 and style.headers["Access-Control-Allow-Origin"] == "*"
    assert style.get_data(as_text=True) == (PROJECT_ROOT / "graph" / "browser" / "style.grass").read_text("utf-8")
    guide = web.get("/analyst/guide.md")
    assert guide.status_code == 200 and guide.headers["Access-Control-Allow-Origin"] == "*"
    text = guide.get_data(as_text=True)
    slides = text.split("\n---\n")  # how Neo4j Browser splits a Markdown guide
    assert len(slides) >= 15 and slides[0].startswith("# ")
    assert "<!--" not in text and text.count("```cypher") == Path(PROJECT_ROOT / "docs" / "analyst.md").read_text(
        encoding="utf-8").count("```cypher")
