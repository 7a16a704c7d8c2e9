"""Biolink Model mappings (from model.yaml) and KGX dict helpers for export.

    category_for("Drug")             -> "biolink:Drug"
    predicate_for("TREATS")          -> "biolink:treats"
    to_kgx_node(concept)             -> {"id": ..., "category": ["biolink:Drug"], "name": ..., ...}
    to_kgx_edge(curated_edge)        -> {"id": ..., "subject": ..., "predicate": ..., "object": ..., ...}
    to_kgx_edge("TREATS", s, o, properties={"source_ids": [...], ...}, curated=False)

Nodes and edges follow the KGX JSON/TSV conventions (https://github.com/biolink/kgx): list-valued
``category``, ``synonym``, ``xref`` and ``publications``; the model's own label and relationship type
are kept as ``mdskg_label`` and ``original_predicate``.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from ontology.model import Concept, CuratedEdge, Ontology, load_ontology, split_curie

INFORES = "infores:mdskg"
DEFAULT_CATEGORY = "biolink:NamedThing"
DEFAULT_PREDICATE = "biolink:related_to"
# Prefixes whose CURIEs are publications in the Biolink sense.
PUBLICATION_PREFIXES = ("PMID", "DOI", "clinicaltrials", "MDSKG")
_RESERVED_NODE_KEYS = {"id", "category", "name", "description", "synonym", "xref", "provided_by", "iri",
                       "mdskg_label", "publications"}
_RESERVED_EDGE_KEYS = {"id", "subject", "predicate", "object", "original_predicate", "knowledge_level",
                       "agent_type", "primary_knowledge_source", "publications"}


def _name(value: Any) -> str:
    return str(value.value) if isinstance(value, enum.Enum) else str(value)


def node_categories(ontology: Ontology | None = None) -> dict[str, str]:
    """Node type → Biolink category, for every node type of the model."""
    onto = ontology or load_ontology()
    return {name: spec.biolink or DEFAULT_CATEGORY for name, spec in onto.node_types.items()}


def predicates(ontology: Ontology | None = None) -> dict[str, str]:
    """Relationship type → Biolink predicate, for every relationship type of the model."""
    onto = ontology or load_ontology()
    return {name: spec.biolink or DEFAULT_PREDICATE for name, spec in onto.relationship_types.items()}


def category_for(label: Any, ontology: Ontology | None = None) -> str:
    """The Biolink category of a node type (KeyError for a label the model does not declare)."""
    label = _name(label)
    categories = node_categories(ontology)
    if label not in categories:
        raise KeyError(f"{label!r} is not a node type of the model")
    return categories[label]


def predicate_for(rel_type: Any, ontology: Ontology | None = None) -> str:
    """The Biolink predicate of a relationship type (KeyError for an undeclared type)."""
    rel_type = _name(rel_type)
    preds = predicates(ontology)
    if rel_type not in preds:
        raise KeyError(f"{rel_type!r} is not a relationship type of the model")
    return preds[rel_type]


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    return str(value)


def _publications(ids: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for item in ids:
        parts = split_curie(item) if isinstance(item, str) else None
        if parts and parts[0] in PUBLICATION_PREFIXES and item not in out:
            out.append(item)
    return out


def to_kgx_node(concept: Concept, ontology: Ontology | None = None) -> dict[str, Any]:
    """A KGX node dict for a concept. Extra ``properties`` are added when they do not clash with
    KGX keys (values made JSON-safe)."""
    onto = ontology or load_ontology()
    synonyms: list[str] = []
    for text in (*concept.synonyms, *concept.abbreviations, *concept.lay_terms, *concept.brand_names):
        if text not in synonyms and text != concept.name:
            synonyms.append(text)
    node: dict[str, Any] = {
        "id": concept.id,
        "category": [category_for(concept.label, onto)],
        "name": concept.name,
        "description": concept.definition,
        "synonym": synonyms,
        "xref": list(concept.xrefs),
        "provided_by": [INFORES],
        "mdskg_label": concept.label,
    }
    iri = onto.curie_url(concept.id)
    if iri:
        node["iri"] = iri
    if concept.sources:
        node["publications"] = _publications(concept.sources)
    for key, value in concept.properties.items():
        if key not in _RESERVED_NODE_KEYS:
            node[key] = _json_safe(value)
    return node


def edge_id(subject: str, rel_type: str, obj: str, qualifier: str = "") -> str:
    """A stable id for an edge: the same (subject, type, object[, qualifier]) always gives the same id."""
    digest = hashlib.sha1("\x1f".join((subject, rel_type, obj, qualifier)).encode("utf-8")).hexdigest()
    return f"MDSKG:edge/{digest[:16]}"


def to_kgx_edge(edge: CuratedEdge | str, subject: str | None = None, object: str | None = None, *,
                sources: Iterable[str] = (), properties: Mapping[str, Any] | None = None,
                note: str | None = None, curated: bool | None = None,
                ontology: Ontology | None = None) -> dict[str, Any]:
    """A KGX edge dict, from a ``CuratedEdge`` or from (relationship type, subject, object).

    ``curated`` (default: True for a CuratedEdge, False otherwise) sets ``agent_type``:
    manual_agent for the curated ontology, text_mining_agent for ETL-extracted edges. ETL provenance
    (``source_ids`` etc., see model.yaml edge_provenance) passes through in ``properties`` and its
    publication ids are merged into ``publications``.
    """
    onto = ontology or load_ontology()
    if isinstance(edge, CuratedEdge):
        rel_type, subject, object = edge.type, edge.subject, edge.object
        sources = tuple(edge.sources) + tuple(sources)
        properties = {**edge.properties, **(properties or {})}
        note = note if note is not None else edge.note
        curated = True if curated is None else curated
    else:
        rel_type = _name(edge)
        if subject is None or object is None:
            raise ValueError("to_kgx_edge needs subject and object with a relationship type")
        properties = dict(properties or {})
        curated = False if curated is None else curated
    properties = dict(properties)
    qualifier = str(properties.get("condition", ""))
    out: dict[str, Any] = {
        "id": edge_id(subject, rel_type, object, qualifier),
        "subject": subject,
        "predicate": predicate_for(rel_type, onto),
        "object": object,
        "original_predicate": rel_type,
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent" if curated else "text_mining_agent",
        "primary_knowledge_source": INFORES,
        "publications": _publications([*sources, *(properties.get("source_ids") or [])]),
    }
    if note:
        out["note"] = note
    for key, value in properties.items():
        if key not in _RESERVED_EDGE_KEYS:
            out[key] = _json_safe(value)
    return out


def ontology_to_kgx(ontology: Ontology | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All curated concepts and edges as KGX (nodes, edges)."""
    onto = ontology or load_ontology()
    nodes = [to_kgx_node(c, onto) for c in sorted(onto.concepts.values(), key=lambda c: c.id)]
    edges = [to_kgx_edge(e, ontology=onto) for e in onto.edges]
    return nodes, edges


__all__ = ["INFORES", "category_for", "edge_id", "node_categories", "ontology_to_kgx", "predicate_for",
           "predicates", "to_kgx_edge", "to_kgx_node"]
