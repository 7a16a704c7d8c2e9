"""The response and read caches over the real graph: a repeated question is served from memory,
a rebuilt graph is never answered from the old one, and patient data never enters a cache."""

from __future__ import annotations

import json

import pytest

from graph.load import mark_graph_built
from ontology import load_ontology
from service.extensions import get_caches
from tests.fakes.fake_anthropic import FakeAnthropic
from tests.integration.conftest import gql

SEED = "What is immunotherapy and does it work for MDS?"
ASK = """query($q: String!) { ask(question: $q) { writer text therapies { id name } facts { text citations } } }"""
HORSE_ATG = "MDSKG:drug/horse-atg"


def make_client(settings, graph, **overrides):
    from service.app import create_app

    app = create_app({"SETTINGS": settings.with_overrides(**overrides), "GRAPH": graph, "TESTING": True})
    return app, app.test_client()


def stats(app):
    with app.app_context():
        return dict(get_caches().responses.stats)


def test_a_repeated_question_is_served_from_the_response_cache(loaded_graph, settings):
    app, client = make_client(settings, loaded_graph)
    first = gql(client, ASK, {"q": SEED})
    assert stats(app) == {"entries": 1, "hits": 0, "misses": 1}
    second = gql(client, ASK, {"q": SEED})
    assert second == first
    assert stats(app)["hits"] == 1
    gql(client, ASK, {"q": "What is luspatercept?"})  # another question is its own entry
    assert stats(app)["entries"] == 2


def test_the_cache_can_be_switched_off(loaded_graph, settings):
    app, client = make_client(settings, loaded_graph, response_cache_entries=0, read_cache_entries=0)
    first = gql(client, ASK, {"q": SEED})
    assert gql(client, ASK, {"q": SEED}) == first
    assert stats(app) == {"entries": 0, "hits": 0, "misses": 0}


def test_a_rebuilt_graph_is_never_answered_from_the_old_one(loaded_graph, settings):
    """The version is re-read on every request here (interval 0): a change stamped by a build
    shows in the very next answer, although the same question was cached."""
    app, client = make_client(settings, loaded_graph, graph_version_check_s=0)
    drug = loaded_graph.read_text("MATCH (d:Entity {id: $id}) RETURN d.name AS name", id=HORSE_ATG)
    assert drug, "the corpus graph has horse ATG"
    name = drug[0]["name"]
    before = json.dumps(gql(client, ASK, {"q": SEED}))
    assert name in before
    renamed = name + " (renamed for a test)"
    try:
        loaded_graph.write_text("MATCH (d:Entity {id: $id}) SET d.name = $name", id=HORSE_ATG, name=renamed)
        mark_graph_built(loaded_graph, load_ontology().version)
        after = json.dumps(gql(client, ASK, {"q": SEED}))
        assert renamed in after
        assert stats(app)["hits"] == 0
    finally:
        loaded_graph.write_text("MATCH (d:Entity {id: $id}) SET d.name = $name", id=HORSE_ATG, name=name)
        mark_graph_built(loaded_graph, load_ontology().version)
    assert renamed not in json.dumps(gql(client, ASK, {"q": SEED}))


def test_answers_with_a_patient_never_enter_a_cache(loaded_graph, settings):
    app, client = make_client(settings, loaded_graph)
    patient = {"age": 57, "marrowBlastsPct": 3.77, "marrowCellularity": "hypocellular", "pnhClone": True}
    query = """query($q: String!, $p: PatientInput) { ask(question: $q, patient: $p) { text } }"""
    gql(client, query, {"q": "Am I a candidate for IST?", "p": patient})
    gql(client, query, {"q": "Am I a candidate for IST?", "p": patient})
    assert stats(app) == {"entries": 0, "hits": 0, "misses": 2}
    risk = """query($p: PatientInput!) { assessRisk(patient: $p) { riskGroup } }"""
    gql(client, risk, {"p": patient})
    assert stats(app)["entries"] == 0
    # Mixed with a cacheable field, the whole response stays out too.
    gql(client, """query($q: String!, $p: PatientInput!) { ask(question: $q) { text } assessRisk(patient: $p) { riskGroup } }""",
        {"q": SEED, "p": patient})
    assert stats(app)["entries"] == 0
    with app.app_context():
        held = repr(get_caches().reads._items) + repr(get_caches().responses._store._items)
    assert "3.77" not in held


def test_errors_and_claude_fallbacks_are_not_cached(loaded_graph, settings):
    app, client = make_client(settings, loaded_graph)
    gql(client, """{ entity(id: "x") { id } search(text: "", first: 0) { id } }""")
    assert stats(app)["entries"] == 0
    with FakeAnthropic() as fake:
        fake.behaviour = "error_500"
        app, client = make_client(settings, loaded_graph, anthropic_api_key="test-key-123",
                                  anthropic_base_url=fake.base_url, llm_timeout_s=2.0, llm_max_retries=0)
        answer = gql(client, ASK, {"q": SEED})["data"]["ask"]
        assert answer["writer"].startswith("template (claude fallback:")
        assert stats(app)["entries"] == 0
        fake.behaviour = "good"
        assert gql(client, ASK, {"q": SEED})["data"]["ask"]["writer"].startswith("claude:")
        assert stats(app)["entries"] == 1


@pytest.mark.parametrize("question", [SEED, "Does luspatercept help with anemia in MDS?", "What is IPSS-R?"])
def test_answers_through_the_read_cache_equal_uncached_answers(loaded_graph, settings, question):
    _, cached = make_client(settings, loaded_graph)
    _, plain = make_client(settings, loaded_graph, response_cache_entries=0, read_cache_entries=0)
    expected = gql(plain, ASK, {"q": question})
    gql(cached, ASK, {"q": "What is immunotherapy?"})  # warms reads shared with other questions
    assert gql(cached, ASK, {"q": question}) == expected


def test_validated_documents_are_reused_and_refused_ones_stay_refused(loaded_graph, settings, monkeypatch):
    import service.app

    parsed = []
    real_parse = service.app.parse
    monkeypatch.setattr(service.app, "parse", lambda query: parsed.append(query) or real_parse(query))
    app, client = make_client(settings, loaded_graph, max_query_depth=3)
    deep = "{ ask(question: \"x\") { paths { steps { citations { id } } } } }"
    for _ in range(2):
        body = gql(client, deep)
        assert body["data"] is None and "depth" in body["errors"][0]["message"].lower()
    assert parsed.count(deep) == 2  # a refused document is never remembered
    search = "query($t: String!) { search(text: $t) { id name } }"
    first = gql(client, search, {"t": "luspatercept"})["data"]["search"]
    second = gql(client, search, {"t": "azacitidine"})["data"]["search"]  # same document, other values
    assert first and second and first != second
    assert parsed.count(search) == 1
    mutation_via_get = client.get("/graphql", query_string={"query": "mutation { __typename }"})
    assert mutation_via_get.status_code in (400, 405)
