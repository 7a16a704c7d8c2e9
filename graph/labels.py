"""The only labels and relationship types Cypher builders may use: the ontology's."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ontology import Label, RelType

MODEL_FILE = Path(__file__).resolve().parent.parent / "ontology" / "data" / "model.yaml"


@lru_cache(maxsize=1)
def model_raw() -> dict[str, Any]:
    """model.yaml as data, for the graph-side declarations (indexes, infrastructure labels)."""
    data: dict[str, Any] = yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def allowed_labels() -> frozenset[str]:
    infra = model_raw().get("infrastructure_labels", [])
    return frozenset({label.value for label in Label} | set(infra))


@lru_cache(maxsize=1)
def allowed_rel_types() -> frozenset[str]:
    return frozenset(rel.value for rel in RelType)


def checked_label(label: str) -> str:
    if label not in allowed_labels():
        raise ValueError(f"label {label!r} is not declared in the ontology")
    return label


def checked_rel_type(rel_type: str) -> str:
    if rel_type not in allowed_rel_types():
        raise ValueError(f"relationship type {rel_type!r} is not declared in the ontology")
    return rel_type
