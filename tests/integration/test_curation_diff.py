"""`mdskg curation diff` against a real Neo4j: a small corpus document with deliberately wrong sentences goes
through the real ETL (rule extractor) into a fresh test database, and the diff reports where those
extracted candidates disagree with the curated recommendations (ontology/data/recommendations)."""

from __future__ import annotations

import json
import textwrap

import pytest

from etl.curation import curation_diff
from mdskg_cli.main import main

pytestmark = pytest.mark.neo4j

DOC_ID = "MDSKG:doc/test-curation-wrong"
ESA = "MDSKG:therapy/esa"
ESA_LR = "MDSKG:rec/esa-lr-anemia-epo-up-to-500"
ESA_NOT_OVER_500 = "MDSKG:rec/esa-not-recommended-epo-over-500"
# Ids the ETL gives the extracted candidates (etl/rows.py recommendation_id).
NOT_ESA_LR = "MDSKG:rec/not-therapy-esa--risk-lower-risk"
ESA_LR_CANDIDATE = "MDSKG:rec/therapy-esa--risk-lower-risk"
DARBEPOETIN_LR = "MDSKG:rec/drug-darbepoetin-alfa--risk-lower-risk"

WRONG_DOC = textwrap.dedent(f"""\
    ---
    id: {DOC_ID}
    title: Deliberately wrong statements for the curation diff test
    type: guideline-digest
    version: "test"
    written_by: test suite (deliberately wrong, not medical content)
    sources:
      - id: PMID:31914241
        title: "Luspatercept in lower-risk MDS (MEDALIST)"
        year: 2020
    ---
    # Deliberately wrong statements

    Erythropoiesis-stimulating agents are not recommended for lower-risk MDS. [PMID:31914241]
    ESAs are recommended for lower-risk MDS only when the serum erythropoietin (EPO) level is 200 mU/mL or less. [PMID:31914241]
    Darbepoetin alfa is recommended for lower-risk MDS when the serum EPO level is above 500 mU/mL. [PMID:31914241]
    Red blood cell transfusion is recommended for lower-risk MDS. [PMID:31914241]
    """)


@pytest.fixture(scope="module")
def wrong_graph(graph, settings, tmp_path_factory):
    """A fresh test database holding the ontology (with the curated recommendations) and WRONG_DOC only.

    Neo4j Community has one user database, which the session-scoped `loaded_graph` fills with the bundled
    corpus; so afterwards the corpus is loaded again exactly as `loaded_graph` does, for the tests after these.
    """
    from etl.run import CORPUS_DIR, load_ontology_concepts, run_etl

    folder = tmp_path_factory.mktemp("curation-corpus")
    (folder / "wrong.md").write_text(WRONG_DOC, encoding="utf-8")
    graph.write_text("MATCH (n) DETACH DELETE n")
    load_ontology_concepts(graph)
    report = run_etl([folder], graph, settings, force=True)
    assert not report.problems and report.documents_loaded == 1, report.to_text()
    yield graph
    graph.write_text("MATCH (n) DETACH DELETE n")
    restored = run_etl([CORPUS_DIR], graph, settings, force=True)
    assert not restored.problems, restored.to_text()


def test_the_wrong_sentences_became_extracted_candidates(wrong_graph):
    rows = wrong_graph.read("recommendation_candidates", therapy_ids=None)
    by_id = {r["id"]: r for r in rows}
    assert {NOT_ESA_LR, ESA_LR_CANDIDATE, DARBEPOETIN_LR} <= set(by_id)
    assert all(not r["id"].startswith("MDSKG:rec/esa-") for r in rows)  # curated recommendations are not candidates
    assert by_id[NOT_ESA_LR]["strength"] == "not_recommended"
    assert by_id[NOT_ESA_LR]["population_ids"] == ["MDSKG:risk/lower-risk"]
    assert by_id[NOT_ESA_LR]["sentence"].startswith("Erythropoiesis-stimulating agents are not recommended")
    [criterion] = by_id[ESA_LR_CANDIDATE]["criteria"]
    assert (criterion["variable"], criterion["operator"], json.loads(criterion["value_json"]), criterion["role"]) == (
        "serum_epo_mu_ml", "<=", 200, "required")
    assert criterion["sentence_citations"] == "PMID:31914241" and criterion["sentence"].startswith("ESAs are")
    only_esa = wrong_graph.read("recommendation_candidates", therapy_ids=[ESA])
    assert {r["therapy_id"] for r in only_esa} == {ESA}


def test_diff_reports_the_opposite_polarity_and_the_wrong_threshold(wrong_graph):
    report = curation_diff(wrong_graph)
    found = {(d.kind, d.candidate_id): d for d in report.disagreements}

    polarity = found[("opposite_polarity", NOT_ESA_LR)]
    assert ESA_LR in polarity.curated_ids and polarity.candidate_strength == "not_recommended"
    assert polarity.source_ids == ("PMID:31914241",) and polarity.documents == (DOC_ID,)
    # stored clean: the citation marker is in the edge's citations (source_ids above), not in the sentence
    assert polarity.sentence == "Erythropoiesis-stimulating agents are not recommended for lower-risk MDS."

    threshold = found[("different_threshold", ESA_LR_CANDIDATE)]
    assert (threshold.variable, threshold.candidate_operator, threshold.candidate_value) == ("serum_epo_mu_ml", "<=", 200)
    assert (threshold.curated_operator, threshold.curated_value, threshold.detail) == ("<=", 500, "another value")
    assert threshold.curated_ids == (ESA_LR,)
    assert "200 mU/mL or less" in threshold.sentence

    flipped = found[("different_threshold", DARBEPOETIN_LR)]  # a drug of the ESA class counts as the ESA
    assert (flipped.candidate_operator, flipped.curated_operator, flipped.detail) == (">", "<=", "opposite direction")
    assert ESA_NOT_OVER_500 in found[("opposite_polarity", DARBEPOETIN_LR)].curated_ids

    assert found[("uncurated_therapy", "MDSKG:rec/therapy-rbc-transfusion--risk-lower-risk")]
    assert report.disagreements == tuple(sorted(report.disagreements, key=lambda d: d.sort_key()))


def test_cli_prints_the_disagreements(wrong_graph, settings, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    for env, value in {"NEO4J_URI": settings.neo4j_uri, "NEO4J_USER": settings.neo4j_user,
                       "NEO4J_PASSWORD": settings.neo4j_password, "NEO4J_DATABASE": settings.neo4j_database}.items():
        monkeypatch.setenv(env, value)

    assert main(["curation", "diff", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    kinds = {(d["kind"], d["candidate_id"]) for d in listed}
    assert ("opposite_polarity", NOT_ESA_LR) in kinds and ("different_threshold", ESA_LR_CANDIDATE) in kinds
    assert all(d["sentence"] and d["source_ids"] for d in listed)

    assert main(["curation", "diff"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("compared ") and "\nopposite_polarity (" in text and "\ndifferent_threshold (" in text
    assert f"curated <= 500 mU/mL (required) in {ESA_LR}: another value" in text
