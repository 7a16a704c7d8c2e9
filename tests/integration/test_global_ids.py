"""Ids a client cache can trust: a Fact's id is unique across answers (issue 19). Apollo and urql normalise objects
by `__typename` + `id`; with per-answer numbers ("F1") one answer's facts replaced another's in the cache."""

from __future__ import annotations

from tests.integration.conftest import gql

ASK = """query($q: String!) { ask(question: $q) { facts { id localId section text citations } } }"""


def facts(client, question: str) -> list[dict]:
    body = gql(client, ASK, {"q": question})
    assert "errors" not in body, body["errors"]
    return body["data"]["ask"]["facts"]


def test_fact_ids_differ_between_answers_and_repeat_for_the_same_fact(loaded_graph, client):
    azacitidine = facts(client, "What is azacitidine?")
    luspatercept = facts(client, "What is luspatercept?")
    assert azacitidine and luspatercept
    assert {f["localId"] for f in azacitidine} & {f["localId"] for f in luspatercept}  # both count from F1
    by_id = {f["id"]: f for f in azacitidine}
    for fact in luspatercept:
        same = by_id.get(fact["id"])
        # a shared id only ever means the same fact, word for word
        assert same is None or (same["text"], same["citations"], same["section"]) == (
            fact["text"], fact["citations"], fact["section"])
    assert len({f["id"] for f in azacitidine}) == len(azacitidine)  # unique within an answer too
    assert [f["id"] for f in facts(client, "What is azacitidine?")] == [f["id"] for f in azacitidine]  # stable
