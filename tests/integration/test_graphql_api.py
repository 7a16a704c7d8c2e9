"""search, entity (with paginated neighbours), paths and the typed lists, over the real graph."""

from __future__ import annotations

import pytest

from tests.integration.conftest import gql


@pytest.mark.parametrize("text,expected", [
    ("immunosuppressive therapy", "MDSKG:therapy/ist"),
    ("imunosupressive therapy", "MDSKG:therapy/ist"),
    ("luspatercpt", "MDSKG:drug/luspatercept"),
    ("Reblozyl", "MDSKG:drug/luspatercept"),
    ("bone marrow transplant", "MDSKG:therapy/allo-hsct"),
])
def test_search_is_tolerant_of_typos(loaded_graph, client, text, expected):
    rows = gql(client, "query($t: String!) { search(text: $t, first: 5) { id label name } }", {"t": text})
    ids = [r["id"] for r in rows["data"]["search"]]
    assert expected in ids, ids


def test_entity_neighbours_page_through_without_gaps_or_repeats(loaded_graph, client):
    query = """query($after: String) { entity(id: "MDSKG:therapy/ist") { id label name definition
        neighbours(first: 3, after: $after) { hasNextPage endCursor edges { type direction node { id } cursor } } } }"""
    seen, after = [], None
    for _ in range(50):
        page = gql(client, query, {"after": after})["data"]["entity"]["neighbours"]
        seen += [(e["type"], e["direction"], e["node"]["id"]) for e in page["edges"]]
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert len(seen) == len(set(seen)) and len(seen) > 6
    everything = gql(client, '{ entity(id: "MDSKG:therapy/ist") { neighbours(first: 100) { edges { type node { id } } } } }')
    assert len(everything["data"]["entity"]["neighbours"]["edges"]) == len(seen)
    only = gql(client, '{ entity(id: "MDSKG:therapy/ist") { neighbours(relType: "INCLUDES_DRUG") { edges { type node { id } } } } }')
    assert {e["type"] for e in only["data"]["entity"]["neighbours"]["edges"]} == {"INCLUDES_DRUG"}


def test_unknown_entity_is_null(loaded_graph, client):
    assert gql(client, '{ entity(id: "MDSKG:nothing") { id } }')["data"]["entity"] is None


def test_paths_between_concepts(loaded_graph, client):
    body = gql(client, '{ paths(fromId: "NCIT:C3247", toId: "MDSKG:drug/horse-atg", maxHops: 4) '
                       '{ text nodes { id } steps { type citations { id } } } }')
    paths = body["data"]["paths"]
    assert paths and all(p["nodes"][0]["id"] == "NCIT:C3247" and p["nodes"][-1]["id"] == "MDSKG:drug/horse-atg"
                         for p in paths)
    assert all(len(p["steps"]) <= 4 for p in paths)


def test_typed_lists_and_graph_info(loaded_graph, client):
    body = gql(client, "{ therapies { id } drugs { id } diseases { id } subtypes { id } "
                       "criteria(therapyId: \"MDSKG:therapy/ist\") { id criterion { variable operator value role } } "
                       "sources(first: 5) { id title } graphInfo { modelVersion builtAt documentCount } }")["data"]
    assert {"MDSKG:therapy/ist", "MDSKG:therapy/hma"} <= {t["id"] for t in body["therapies"]}
    assert "NCIT:C3247" in {d["id"] for d in body["diseases"]}
    variables = {c["criterion"]["variable"] for c in body["criteria"]}
    assert {"age", "marrow_blasts_pct", "pnh_clone"} <= variables
    assert body["graphInfo"]["modelVersion"] and body["graphInfo"]["builtAt"] and body["graphInfo"]["documentCount"] >= 10
