"""The graph as Biolink KGX (`mdskg export kgx <dir>`): nodes.jsonl and edges.jsonl, one JSON object a line.

KGX is the Biolink Model's exchange format (https://github.com/biolink/kgx, "KGX format"): nodes carry `id` (a
CURIE), `category` (Biolink classes) and `name`; edges carry `subject`, `predicate` (a Biolink predicate),
`object`, and their provenance: `primary_knowledge_source` (infores:mdskg), `knowledge_level`, `agent_type`,
`publications` (the PMIDs, DOIs and trial registrations behind the edge) and `supporting_text` (the sentences
the facts were read from). Categories and predicates come from the model (`biolink:` of each node and
relationship type in ontology/data/model.yaml, ontology/biolink.py). Our own label and type travel as
`mdskg_label` and `original_predicate`, and the evidence counts as `document_count` and `citation_count`
(docs/analyst.md).

`validate_kgx(dir)` checks what a KGX consumer relies on (graph/export/kgx.schema.json has the same rules as a
JSON Schema; the `kgx` tool itself is not a dependency: it pulls about 140 packages).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import cypher
from graph.db import Graph
from graph.reads import KgxEdgeRow, KgxNodeRow, to_row
from ontology import load_ontology
from ontology.biolink import INFORES, edge_id, node_categories, predicates

NODES_FILE = "nodes.jsonl"
EDGES_FILE = "edges.jsonl"
SCHEMA_FILE = Path(__file__).resolve().parent / "kgx.schema.json"
CURIE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*:[^\s]+$")
# What the kgx tool accepts as the id of a node or edge: no "/" or ":" in the local part. Our own ids
# (MDSKG:therapy/ist) use "/" as a path; in KGX it becomes "." (MDSKG:therapy.ist) and the node keeps its graph
# id as `mdskg_id`. Other prefixes' ids are kept as they are; a DOI keeps its "/" (10.1182/blood-…), which
# kgx 2.6 reports as "not a proper CURIE" although it is the DOI's own form.
KGX_ID = re.compile(r"^[^\s<()>:]+:[^/\s:]+$|^DOI:10\.\S+$")
# Identifiers whose pages are publications in the KGX sense (PubMed, DOI, a trial registration).
PUBLICATION_PREFIXES = ("PMID", "DOI", "clinicaltrials")
CURATED_EXTRACTORS = ("ontology@", "curated@")
# Node properties that are not worth exporting (the full-text index's text; bookkeeping) or that KGX names
# otherwise (definition → description, url → iri, synonyms … → synonym, xrefs → xref).
_NODE_SKIP = {"id", "search_text", "content_hash", "loaded_at", "definition", "url", "synonyms", "abbreviations",
              "lay_terms", "brand_names", "xrefs", "name", "logic_json"}
# Edge properties exported under KGX names (sentences → supporting_text, citations → publications) or that are
# aligned per-evidence lists an exchange file does not need (the graph keeps them).
_EDGE_SKIP = {"evidence_keys", "sentences", "offsets", "evidence_citations", "citations", "reading", "qualifiers",
              "source_count"}
_KGX_EDGE_KEYS = {"id", "subject", "predicate", "object", "category", "original_predicate", "knowledge_level",
                  "agent_type", "primary_knowledge_source", "publications", "supporting_text"}
_KGX_NODE_KEYS = {"id", "category", "name", "description", "synonym", "xref", "iri", "provided_by", "mdskg_label",
                  "mdskg_id"}


@dataclass
class KgxReport:
    directory: Path
    nodes: int = 0
    edges: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_predicate: dict[str, int] = field(default_factory=dict)

    def to_text(self) -> str:
        cats = ", ".join(f"{k} {v}" for k, v in sorted(self.by_category.items(), key=lambda kv: -kv[1]))
        preds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_predicate.items(), key=lambda kv: -kv[1]))
        return (f"KGX: {self.nodes} nodes, {self.edges} edges in {self.directory}/{{{NODES_FILE},{EDGES_FILE}}}\n"
                f"  categories: {cats}\n  predicates: {preds}")


def kgx_id(curie: str) -> str:
    """MDSKG:therapy/ist -> MDSKG:therapy.ist; any other CURIE unchanged."""
    prefix, _, local = curie.partition(":")
    return f"{prefix}:{local.replace('/', '.')}" if prefix == "MDSKG" else curie


def _model_label(labels: list[str], node_types: Mapping[str, str]) -> str | None:
    return next((label for label in labels if label in node_types), None)


def kgx_node(row: KgxNodeRow, categories: Mapping[str, str]) -> dict[str, Any]:
    props = dict(row.props)
    label = _model_label(list(row.labels), categories)
    if label is None:
        raise ValueError(f"node {row.id!r} has no label of the model: {list(row.labels)}")
    synonyms: list[str] = []
    for key in ("synonyms", "abbreviations", "lay_terms", "brand_names"):
        for text in props.get(key) or ():
            if text and text != props.get("name") and text not in synonyms:
                synonyms.append(text)
    node: dict[str, Any] = {
        "id": kgx_id(row.id),
        "category": [categories[label]],
        "name": props.get("name") or row.id,
        "provided_by": [INFORES],
        "mdskg_label": label,
    }
    if node["id"] != row.id:
        node["mdskg_id"] = row.id
    description = props.get("definition") or props.get("summary")
    if description:
        node["description"] = description
    if synonyms:
        node["synonym"] = synonyms
    if props.get("xrefs"):
        node["xref"] = list(props["xrefs"])
    if props.get("url"):
        node["iri"] = props["url"]
    for key, value in sorted(props.items()):
        if key not in _NODE_SKIP and key not in _KGX_NODE_KEYS and value is not None:
            node[key] = value
    return node


def kgx_edge(row: KgxEdgeRow, preds: Mapping[str, str]) -> dict[str, Any]:
    props = dict(row.props)
    extractors = list(props.get("extractors") or [])
    curated = any(e.startswith(CURATED_EXTRACTORS) for e in extractors)
    cited = [*(props.get("source_ids") or []), *(props.get("citations") or [])]
    publications = list(dict.fromkeys(c for c in cited if c.split(":", 1)[0] in PUBLICATION_PREFIXES))
    sentences = list(dict.fromkeys(s for s in props.get("sentences") or [] if s))
    edge: dict[str, Any] = {
        "id": kgx_id(edge_id(row.subject, row.type, row.object)),
        "subject": kgx_id(row.subject),
        "predicate": preds[row.type],
        "object": kgx_id(row.object),
        "original_predicate": row.type,
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent" if curated else "text_mining_agent",
        "primary_knowledge_source": INFORES,
        "publications": publications,
    }
    if sentences:
        edge["supporting_text"] = sentences
    for key, value in sorted(props.items()):
        if key not in _EDGE_SKIP and key not in _KGX_EDGE_KEYS and value is not None:
            edge[key] = value
    return edge


def _stream(graph: Graph, statement: str) -> Iterator[Mapping[str, Any]]:
    with graph.driver.session(database=graph.database, default_access_mode="READ") as session:
        yield from session.run(cypher.load(statement))


def export_kgx(graph: Graph, directory: str | Path) -> KgxReport:
    """Write nodes.jsonl and edges.jsonl of the whole graph into `directory` (created if missing), streaming
    (one record in memory at a time)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    onto = load_ontology()
    categories, preds = node_categories(onto), predicates(onto)
    report = KgxReport(out)
    with (out / NODES_FILE).open("w", encoding="utf-8") as handle:
        for record in _stream(graph, "kgx_nodes"):
            node = kgx_node(to_row("kgx_nodes", KgxNodeRow, record), categories)
            handle.write(json.dumps(node, ensure_ascii=False, sort_keys=True) + "\n")
            report.nodes += 1
            report.by_category[node["category"][0]] = report.by_category.get(node["category"][0], 0) + 1
    with (out / EDGES_FILE).open("w", encoding="utf-8") as handle:
        for record in _stream(graph, "kgx_edges"):
            edge = kgx_edge(to_row("kgx_edges", KgxEdgeRow, record), preds)
            handle.write(json.dumps(edge, ensure_ascii=False, sort_keys=True) + "\n")
            report.edges += 1
            report.by_predicate[edge["predicate"]] = report.by_predicate.get(edge["predicate"], 0) + 1
    return report


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path.name} line {number}: not JSON ({exc.msg})") from None


def validate_kgx(directory: str | Path, limit: int = 50) -> list[str]:
    """The problems of a KGX export (empty when it is valid), at most `limit`: every node has a CURIE id (unique),
    a Biolink category of the model and a name; every edge a unique id, a Biolink predicate of the model, a
    subject and object among the nodes, a knowledge source, knowledge level, agent type and a list of
    publication CURIEs."""
    out = Path(directory)
    onto = load_ontology()
    categories, preds = set(node_categories(onto).values()), set(predicates(onto).values())
    problems: list[str] = []

    def problem(text: str) -> None:
        if len(problems) < limit:
            problems.append(text)

    ids: set[str] = set()
    for path in (out / NODES_FILE, out / EDGES_FILE):
        if not path.is_file():
            return [f"{path} is missing"]
    for node in read_jsonl(out / NODES_FILE):
        nid = node.get("id")
        if not isinstance(nid, str) or not KGX_ID.match(nid):
            problem(f"node id {nid!r} is not a CURIE kgx accepts")
        if nid in ids:
            problem(f"node {nid} appears twice")
        ids.add(str(nid))
        cats = node.get("category")
        if not isinstance(cats, list) or not cats or not set(cats) <= categories:
            problem(f"node {nid}: category {cats!r} is not a list of the model's Biolink categories")
        if not isinstance(node.get("name"), str) or not node["name"].strip():
            problem(f"node {nid} has no name")
    edge_ids: set[str] = set()
    for edge in read_jsonl(out / EDGES_FILE):
        eid = edge.get("id")
        if not isinstance(eid, str) or not KGX_ID.match(eid):
            problem(f"edge id {eid!r} is not a CURIE kgx accepts")
        if eid in edge_ids:
            problem(f"edge id {eid} appears twice")
        edge_ids.add(str(eid))
        if edge.get("predicate") not in preds:
            problem(f"edge {eid}: predicate {edge.get('predicate')!r} is not one of the model's Biolink predicates")
        for end in ("subject", "object"):
            if edge.get(end) not in ids:
                problem(f"edge {eid}: {end} {edge.get(end)!r} is not a node of nodes.jsonl")
        for key in ("primary_knowledge_source", "knowledge_level", "agent_type"):
            if not isinstance(edge.get(key), str) or not edge[key]:
                problem(f"edge {eid} has no {key}")
        pubs = edge.get("publications")
        if not isinstance(pubs, list) or not all(isinstance(p, str) and CURIE.match(p) for p in pubs):
            problem(f"edge {eid}: publications {pubs!r} is not a list of CURIEs")
    return problems
