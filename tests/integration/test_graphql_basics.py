"""The first slice through the stack: Flask + graphene + the real database."""

from __future__ import annotations

from graph.server.manager import neo4j_version
from tests.integration.conftest import gql


def test_graph_info_comes_from_the_database(client, graph):
    counts = graph.read("counts")[0]
    body = gql(client, "{ graphInfo { neo4jVersion nodeCount relationshipCount modelVersion } }")
    info = body["data"]["graphInfo"]
    assert info["neo4jVersion"] == neo4j_version()
    assert info["nodeCount"] == counts["nodes"]
    assert info["relationshipCount"] == counts["relationships"]


def test_graphiql_is_served_locally(client):
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "/static/vendor/graphiql.min.js" in html
    assert "unpkg.com" not in html and "cdn" not in html.lower()
    assert client.get("/static/vendor/graphiql.min.js").status_code == 200


def test_syntax_error_is_a_graphql_error_not_a_stack_trace(client):
    body = gql(client, "{ graphInfo { nodeCount ")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Traceback" not in str(body)


def test_unknown_field_is_a_graphql_error(client):
    body = gql(client, "{ noSuchField }")
    assert "noSuchField" in body["errors"][0]["message"]


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code in (200, 503)
    assert ready.get_json()["neo4j"] is True
