"""Misspelled, lay and out-of-scope questions against the real graph."""

from __future__ import annotations

import pytest

from tests.integration.conftest import gql

ASK = "query($q: String!) { ask(question: $q) { intent covered text entities { id label } therapies { id } citations { id } } }"


@pytest.mark.parametrize("question,expected_entity", [
    ("imunotherapy for MSD - does it work?", "MDSKG:term/immunotherapy"),
    ("what is immunosupressive therapy", "MDSKG:therapy/ist"),
    ("is a bone marrow transplant a cure for my blood cancer?", "MDSKG:therapy/allo-hsct"),
    ("what about lenalidamide for del 5q", "MDSKG:drug/lenalidomide"),
    ("what is Reblozyl", "MDSKG:drug/luspatercept"),
])
def test_misspelled_and_lay_questions_find_their_concepts(loaded_graph, client, question, expected_entity):
    answer = gql(client, ASK, {"q": question})["data"]["ask"]
    assert expected_entity in [e["id"] for e in answer["entities"]], answer["entities"]
    assert answer["covered"] is True
    assert answer["citations"]


@pytest.mark.parametrize("question", [
    "What is the best diet for diabetes?",
    "How do I fix my car's brakes?",
])
def test_out_of_scope_questions_get_an_honest_answer(loaded_graph, client, question):
    answer = gql(client, ASK, {"q": question})["data"]["ask"]
    assert answer["covered"] is False and answer["intent"] == "off_topic"
    assert "This question is not about MDS" in answer["text"]
    assert "Our sources cover myelodysplastic syndromes" in answer["text"]
    assert answer["therapies"] == []


def test_side_effect_question(loaded_graph, client):
    answer = gql(client, ASK, {"q": "What are the side effects of azacitidine?"})["data"]["ask"]
    assert answer["intent"] == "side_effects"
    assert "MDSKG:drug/azacitidine" in [t["id"] for t in answer["therapies"]]


def test_bad_question_is_a_graphql_error(loaded_graph, client):
    body = gql(client, ASK, {"q": "   "})
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    body = gql(client, ASK, {"q": "x" * 5000})
    assert "too long" in body["errors"][0]["message"]
