"""Typed reads (graph/reads.py): one typed function per read statement, every other statement a
declared write, parameters and model identifiers checked statically (the EXPLAIN of each statement
against a real Neo4j is tests/integration/test_reads_explain.py)."""

from __future__ import annotations

import dataclasses

import pytest

from graph import cypher, reads
from graph.reads import READS, WRITES, ReadShapeError
from ontology import load_ontology
from service.cache import LruCache, ReadCache


def _model():
    model = load_ontology().model
    labels = set(model["node_types"]) | set(model.get("infrastructure_labels") or ())
    return labels, set(model["relationship_types"])


def test_every_statement_is_one_typed_read_or_a_declared_write():
    names = set(cypher.names())
    assert not set(READS) & set(WRITES)
    assert names - set(READS) - set(WRITES) == set(), "a .cypher file with no typed read and not listed in WRITES"
    assert (set(READS) | set(WRITES)) - names == set(), "a typed read or write whose .cypher file is gone"
    functions = [spec.function for spec in READS.values()]
    assert len(set(functions)) == len(functions)
    for name, spec in READS.items():
        assert getattr(reads, name) is spec.function, f"{name}: the typed read is named after its statement"
        assert dataclasses.is_dataclass(spec.row_type) and spec.row_type.__dataclass_params__.frozen


@pytest.mark.parametrize("name", cypher.names())
def test_parameters_used_are_the_parameters_declared(name):
    used = cypher.identifiers(cypher.load(name)).parameters
    declared = READS[name].params if name in READS else WRITES[name]
    assert used == declared, f"{name}.cypher uses ${sorted(used)}, its typed function declares {sorted(declared)}"


@pytest.mark.parametrize("name", cypher.names())
def test_labels_and_relationship_types_are_the_models(name):
    labels, rel_types = _model()
    found = cypher.identifiers(cypher.load(name))
    assert found.labels <= labels, f"{name}.cypher: labels not in model.yaml: {sorted(found.labels - labels)}"
    assert found.rel_types <= rel_types, f"{name}.cypher: types not in model.yaml: {sorted(found.rel_types - rel_types)}"


def test_the_lexer_sees_patterns_predicates_projections_and_strings():
    found = cypher.identifiers("""
        // a comment with :NotALabel and $not_a_param
        MATCH (a:Entity {id: $id})-[r:TREATS|NOT_ESTABLISHED_FOR]->(b:Disease)
        WHERE b:Subtype AND NOT type(r) IN ['MENTIONS'] AND a.name <> 'x:Y $z'
        UNWIND $rows AS row
        WITH a, b, row, b {.definition, .synonyms} AS projected, {other: b.name} AS m
        CALL db.index.fulltext.queryNodes('entity_search', $lucene) YIELD node
        RETURN startNode(r).id AS s, row.ignored AS k, projected
    """)
    assert found.labels == {"Entity", "Disease", "Subtype"}
    assert found.rel_types == {"TREATS", "NOT_ESTABLISHED_FOR", "MENTIONS"}
    assert found.parameters == {"id", "rows", "lucene"}
    assert found.property_keys == {"id", "name", "definition", "synonyms"}


class Records:
    def __init__(self, rows):
        self.rows = rows
        self.calls = 0

    def read(self, name, timeout_s=None, **params):
        self.calls += 1
        return [dict(r) for r in self.rows]


def test_a_missing_or_unexpected_column_fails_loudly_naming_statement_and_column():
    good = {"id": "PMID:1", "title": "T", "year": 2020, "url": None, "kind": "paper"}
    assert reads.sources_by_id(Records([good]), ids=["PMID:1"])[0].title == "T"
    renamed = dict(good)
    renamed["name"] = renamed.pop("title")
    with pytest.raises(ReadShapeError, match=r"sources_by_id\.cypher.*'title'"):
        reads.sources_by_id(Records([renamed]), ids=["PMID:1"])
    with pytest.raises(ReadShapeError, match=r"sources_by_id\.cypher.*'extra'"):
        reads.sources_by_id(Records([{**good, "extra": 1}]), ids=["PMID:1"])
    with pytest.raises(ReadShapeError, match=r"graph_info\.cypher returned 0 rows"):
        reads.graph_info(Records([]))


def test_rows_are_frozen():
    row = reads.document_hashes(Records([{"id": "d", "content_hash": "h"}]), ids=["d"])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.id = "other"  # type: ignore[misc]
    assert row.as_dict() == {"id": "d", "content_hash": "h"}


def test_the_read_cache_keeps_typed_rows_once_per_version():
    source = Records([{"id": "MDSKG:therapy/x", "name": "X", "label": "Therapy", "drugs": ["MDSKG:drug/y"]}])
    store = LruCache(10)
    cache = ReadCache(source, ("v1",), store)
    first = reads.therapy_families(cache)
    again = reads.therapy_families(cache)
    assert source.calls == 1 and first[0] is again[0] and first is not again
    assert first[0].drugs == ("MDSKG:drug/y",)  # shared rows: lists are tuples
    reads.therapy_families(ReadCache(source, ("v2",), store))
    assert source.calls == 2


def test_curated_parse_is_reused_for_the_read_caches_rows():
    from service.patient.guidance import read_curated

    rec = {"id": "MDSKG:rec/x", "therapy_id": "MDSKG:therapy/x", "therapy_name": "X", "therapy_label": "Therapy",
           "name": "X - lower-risk", "summary": "", "strength": "recommended", "line": "first",
           "after_failure_of": [], "evidence_level": "", "evidence_basis": "", "logic_json": "{}", "citations": [],
           "allowed_after_class_failure": False, "population_ids": [], "guidance_file": "", "guidance_version": ""}
    fam = {"id": "MDSKG:therapy/x", "name": "X", "label": "Therapy", "drugs": []}

    class Both(Records):
        def read(self, name, timeout_s=None, **params):
            self.calls += 1
            return [dict(rec)] if name == "curated_recommendations" else [dict(fam)]

    cache = ReadCache(Both([]), ("v1",), LruCache(10))
    assert read_curated(cache) is read_curated(cache)
    assert read_curated(cache).recommendations[0].therapy == "MDSKG:therapy/x"
