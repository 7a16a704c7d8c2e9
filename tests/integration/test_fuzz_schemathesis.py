"""Schemathesis in GraphQL mode against the service: generated queries for every field
(arguments of every type, including hostile strings) must never get a 5xx or a masked
internal error. Findings are kept as regression cases below."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service.app import create_app

EXAMPLES_PER_FIELD = 25


@pytest.fixture(scope="module")
def app(loaded_graph, settings):
    return create_app({"SETTINGS": settings, "GRAPH": loaded_graph})


def check(response) -> None:
    assert response.status_code < 500, response.text[:500]
    assert "Traceback" not in response.text
    for error in response.json().get("errors") or []:
        assert error["extensions"]["code"] != "INTERNAL_ERROR", error


def _register_scalars() -> None:
    """JSONString carries records (FHIR/Phenopacket JSON): fuzz it with JSON and with junk."""
    import json

    from hypothesis import strategies as st
    from schemathesis.graphql import nodes

    json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                               lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                               max_leaves=12)
    strings = st.one_of(json_values.map(json.dumps), st.text(max_size=60))
    schemathesis.graphql.scalar("JSONString", strings.map(nodes.String))


def test_generated_queries_never_fail_the_server(app):
    _register_scalars()
    schema = schemathesis.graphql.from_wsgi("/graphql", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    tried = 0
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_FIELD, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def run(case):
            nonlocal tried
            tried += 1
            # schemathesis' WSGI transport sends requests' default `Accept-Encoding: gzip` but does not
            # decode the answer (a real HTTP client does): ask for the plain body.
            check(case.call(headers={"Accept-Encoding": "identity"}))

        run()
    assert tried >= len(operations) * 5


# Regression cases from fuzzing runs.
@pytest.mark.parametrize("query,variables", [
    ('{ search(text: "\\u0000") { id } }', {}),
    ('{ search(text: "((") { id } }', {}),
    ('{ search(text: "a", first: -5) { id } }', {}),
    ('{ entity(id: "") { id } }', {}),
    ('{ paths(fromId: "NCIT:C3247", toId: "MDSKG:drug/horse-atg", maxHops: 0) { text } }', {}),
    ('{ entity(id: "NCIT:C3247") { neighbours(first: 0) { hasNextPage } } }', {}),
    ('{ entity(id: "NCIT:C3247") { neighbours(after: "!!notbase64") { hasNextPage } } }', {}),
    ('{ entity(id: "NCIT:C3247") { neighbours(relType: "DROP") { hasNextPage } } }', {}),
    ('{ sources(first: 0) { id } }', {}),
    ('query($p: PatientInput!) { assessRisk(patient: $p) { riskGroup } }', {"p": {"age": -3}}),
    ('query($p: PatientInput!) { assessRisk(patient: $p) { riskGroup } }', {"p": {"karyotype": "((((("}}),
    ('query($p: PatientInput!) { eligibility(patient: $p) { verdict } }', {"p": {"mutations": [{"gene": ""}]}}),
    ('mutation { importPatient(record: "[1,2]") { format } }', {}),
    ('mutation { importPatient(record: "{\\"resourceType\\": \\"Bundle\\", \\"entry\\": 5}") { format } }', {}),
])
def test_regressions(app, query, variables):
    client = app.test_client()
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code < 500
    body = response.get_json()
    for error in body.get("errors") or []:
        assert error["extensions"]["code"] != "INTERNAL_ERROR", (query, error)
