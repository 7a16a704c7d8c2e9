"""Which fields of the patient dataclasses the API takes, declared beside each field.

Every field of an input dataclass (record.PatientInput and the records nested in it) says
whether the API takes it: `api("description")` (or `api("...", required=True)` for a field
without a default) or `not_in_api("why")`. `api_fields()` reads the fields the API takes,
with the shape of their values from the annotations; graphql.py builds the GraphQL input
types from them. A field that says neither is a TypeError, so a new field cannot reach the API,
or stay out of it, without a decision.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ApiField", "api", "api_fields", "not_in_api", "not_in_api_names"]

_KEY = "api"  # metadata key: True (the API takes the field) or False (it does not)


def api(description: str | None = None, *, required: bool = False) -> Any:
    """A field the API takes; `required`: the field has no default (and the API requires it)."""
    metadata = {_KEY: True, "description": description}
    return field(metadata=metadata) if required else field(default=None, metadata=metadata)


def not_in_api(why: str) -> Any:
    """A field the API does not take (default None); `why` says who sets it instead."""
    return field(default=None, metadata={_KEY: False, "why": why})


@dataclass(frozen=True)
class ApiField:
    """A field the API takes. `base`: the type of one value (the first type of a union, e.g. float
    for `float | Quantity | None`; the item type of a tuple); `many`: a tuple of them; `required`:
    the annotation does not allow None."""

    name: str
    base: type
    many: bool
    required: bool
    description: str | None


def _decision(cls: type, f: dataclasses.Field[Any]) -> bool:
    if _KEY not in f.metadata:
        raise TypeError(f"{cls.__name__}.{f.name}: declare it with api(...) or not_in_api(...)")
    return bool(f.metadata[_KEY])


def not_in_api_names(cls: type) -> frozenset[str]:
    """The fields of `cls` the API does not take."""
    return frozenset(f.name for f in dataclasses.fields(cls) if not _decision(cls, f))


def api_fields(cls: type) -> tuple[ApiField, ...]:
    """The fields of `cls` the API takes, in the dataclass's order."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if not _decision(cls, f):
            continue
        annotation = hints[f.name]
        members = typing.get_args(annotation) if _is_union(annotation) else (annotation,)
        values = [m for m in members if m is not type(None)]
        first = values[0]
        many = typing.get_origin(first) is tuple
        base = typing.get_args(first)[0] if many else first
        out.append(ApiField(f.name, base, many, required=len(values) == len(members),
                            description=f.metadata.get("description")))
    return tuple(out)


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)
