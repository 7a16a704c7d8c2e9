"""The MDS ontology: graph model, curated concepts, structural edges and sources.

`Label` and `RelType` are str-valued enums built from ontology/data/model.yaml at import; no other
module invents a label or relationship type.
"""

from ontology.model import (
    Concept,
    CuratedEdge,
    Label,
    NodeType,
    Ontology,
    Problem,
    RelationshipType,
    RelType,
    SourceInfo,
    SurfaceForm,
    VariableSpec,
    curie_url,
    load_ontology,
    normalise_surface,
    source_kind,
    source_kinds,
    source_url,
)

__all__ = [
    "Concept",
    "CuratedEdge",
    "Label",
    "NodeType",
    "Ontology",
    "Problem",
    "RelType",
    "RelationshipType",
    "SourceInfo",
    "SurfaceForm",
    "VariableSpec",
    "curie_url",
    "load_ontology",
    "normalise_surface",
    "source_kind",
    "source_kinds",
    "source_url",
]
