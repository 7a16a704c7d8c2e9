"""The GraphQL schema is the contract apps build on: changes to it are deliberate.

If this fails after an intended change, refresh the snapshot with
`python -m service.schema > schema.graphql` and review the diff."""

from __future__ import annotations

from mdskg.settings import PROJECT_ROOT
from service.schema import schema

CONTRACT_FIELDS = {
    "Query": ["ask", "search", "entity", "paths", "graphInfo", "assessRisk", "eligibility"],
    "Answer": ["question", "intent", "entities", "paths", "therapies", "sections", "text", "citations", "writer",
               "grounded", "disclaimer"],
    "Path": ["nodes", "steps", "text"],
    "Step": ["type", "fromId", "toId", "citations"],
    "Citation": ["id", "title", "year", "url"],
    "Entity": ["id", "label", "name", "neighbours"],
    "GraphInfo": ["neo4jVersion", "nodeCount", "relationshipCount", "modelVersion", "builtAt"],
}


def test_schema_matches_the_committed_snapshot():
    committed = (PROJECT_ROOT / "schema.graphql").read_text(encoding="utf-8").rstrip()
    assert str(schema).rstrip() == committed


def test_contract_fields_exist():
    types = schema.graphql_schema.type_map
    for type_name, fields in CONTRACT_FIELDS.items():
        for field in fields:
            assert field in types[type_name].fields, f"{type_name}.{field} is part of the API contract"
    assert "importPatient" in schema.graphql_schema.mutation_type.fields
