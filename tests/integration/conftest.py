from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def app(settings, graph):
    from service.app import create_app

    return create_app({"SETTINGS": settings, "GRAPH": graph, "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


def gql(client, query: str, variables: dict | None = None, status: int = 200) -> dict:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == status, response.data[:500]
    return response.get_json()
