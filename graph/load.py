"""GraphRows → Neo4j: batched `UNWIND $rows … MERGE`, safe to re-run.

Labels travel as parameters (`$(row.label)`). Relationship types are checked here against
the ontology's enum and then written into the statement, one statement per type (a batch
never mixes types): a MERGE with a dynamic type (`[r:$(row.type)]`) is planned as a scan of
every relationship of the type whenever the statistics say there are few (a fresh database),
which makes a first load quadratic until Neo4j replans (measured: 6,000 rows, 36M db hits,
14 s of server CPU); with the type in the text the plan is an Expand(Into) between the two
matched nodes (12k db hits) whatever the statistics.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph import cypher, reads as typed_reads
from graph.db import Graph
from graph.labels import checked_label, checked_rel_type
from mdskg.records import GraphRows

# Rows per write transaction. Measured on 100k-relationship first loads (bench/loading.py):
# 1,000 → 7.5k rels/s, 5,000 → 15.2k, 10,000 and 20,000 → 10.2k; smaller batches pay the
# per-transaction cost more often, larger ones hold more transaction state in the heap.
DEFAULT_BATCH_SIZE = 5000


@dataclass
class LoadCounts:
    nodes: int = 0
    relationships: int = 0
    by_label: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)

    def add(self, other: LoadCounts) -> None:
        self.nodes += other.nodes
        self.relationships += other.relationships
        for k, v in other.by_label.items():
            self.by_label[k] = self.by_label.get(k, 0) + v
        for k, v in other.by_type.items():
            self.by_type[k] = self.by_type.get(k, 0) + v


def node_rows(rows: GraphRows) -> Iterable[dict[str, Any]]:
    for label, items in rows.nodes.items():
        checked_label(label)
        for item in items:
            yield {"id": item["id"], "label": label, "props": _props(item)}


def relationship_rows(rows: GraphRows) -> Iterable[dict[str, Any]]:
    for rel_type, items in rows.relationships.items():
        checked_rel_type(rel_type)
        for item in items:
            yield {
                "type": rel_type,
                "from_id": item["from_id"],
                "to_id": item["to_id"],
                "evidence_key": item["evidence_key"],
                "source_id": item["source_id"],
                "citations": list(item.get("citations") or [item["source_id"]]),
                "sentence": item.get("sentence") or "",
                "offset": item.get("offset") or "",
                "extractor": item["extractor"],
                "confidence": float(item.get("confidence", 1.0)),
                "props": _props(item.get("props") or {}),
            }


def write_rows(graph: Graph, rows: GraphRows, batch_size: int = DEFAULT_BATCH_SIZE,
               on_progress: Callable[[int], None] | None = None) -> LoadCounts:
    """Nodes first (relationships MATCH their ends), then relationships."""
    counts = LoadCounts()
    for label in rows.nodes:  # every label and type is checked before anything is sent
        checked_label(label)
    for rel_type in rows.relationships:
        checked_rel_type(rel_type)
    # Rows stream into the batches (counted on the way) instead of being copied into lists
    # first: a million-relationship load holds one batch of parameter rows, not two copies.
    sources = ({"id": s["id"], "label": "Source", "props": _props(s)} for s in rows.sources)
    counts.nodes = graph.write_batches(cypher.load("merge_nodes"),
                                       _counted(itertools.chain(node_rows(rows), sources), "label", counts.by_label),
                                       batch_size, on_progress)
    counts.relationships = graph.write_batches(relationship_statement,
                                               _counted(relationship_rows(rows), "type", counts.by_type),
                                               batch_size, on_progress, group_by="type")
    if counts.by_type.get("MENTIONS_UNMAPPED") or counts.by_label.get("UnmappedTerm"):
        graph.write("refresh_unmapped_terms")  # each term's document_count, from its edges
    return counts


TYPE_PARAMETER = "$(row.type)"


@functools.cache
def relationship_statement(rel_type: str) -> str:
    """merge_relationships.cypher with the (checked) relationship type in place of `$(row.type)`."""
    text = cypher.load("merge_relationships")
    if text.count(TYPE_PARAMETER) != 1:
        raise ValueError(f"merge_relationships.cypher must use {TYPE_PARAMETER} exactly once")
    return text.replace(TYPE_PARAMETER, f"`{checked_rel_type(rel_type)}`")


def _counted(rows: Iterable[dict[str, Any]], key: str, tally: dict[str, int]) -> Iterator[dict[str, Any]]:
    for row in rows:
        tally[row[key]] = tally.get(row[key], 0) + 1
        yield row


def loaded_hashes(graph: Graph, ids: list[str]) -> dict[str, str | None]:
    return {row.id: row.content_hash for row in typed_reads.document_hashes(graph, ids=ids)}


def retract_documents(graph: Graph, doc_ids: list[str]) -> None:
    """Withdraw what earlier versions of these documents stated (before loading them again)."""
    if doc_ids:
        graph.write("retract_documents", doc_ids=doc_ids)
        graph.write("remove_orphans")
        graph.write("refresh_unmapped_terms")


def mark_documents_loaded(graph: Graph, documents: list[tuple[str, str]]) -> None:
    now = _now()
    graph.write("mark_documents_loaded", rows=[{"id": i, "content_hash": h, "loaded_at": now} for i, h in documents])


def mark_graph_built(graph: Graph, model_version: str) -> None:
    graph.write("mark_graph_built", model_version=model_version, built_at=_now())


def graph_counts(graph: Graph) -> dict[str, int]:
    counted = typed_reads.counts(graph)
    return {"nodes": counted.nodes, "relationships": counted.relationships}


def _props(item: dict[str, Any]) -> dict[str, Any]:
    """Neo4j properties are scalars or homogeneous lists: drop None, keep the rest as is."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in {"id", "label"} or value is None:
            continue
        if isinstance(value, (tuple, set, frozenset)):
            value = list(value)
        if isinstance(value, dict):
            continue  # nested maps are flattened by the row builders, never stored as is
        if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            continue
        out[key] = value
    return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
